// Words shared by the tracker list and the tracker page: type and authentication names, and
// what the OAuth callback's outcome codes mean for the admin.
import { h } from "../../lib/dom.js";

export const TYPE_LABELS = {
  "jira-cloud": "Jira Cloud", "jira-dc": "Jira Data Center", teamwork: "Teamwork", github: "GitHub", gitlab: "GitLab", linear: "Linear",
};

export const KIND_LABELS = {
  apiToken: "API token (e-mail and token)",
  oauth2: "OAuth 2.0 (Connect with Atlassian)",
  pat: "Personal access token",
  basic: "Username and password",
  apiKey: "API key",
};

// The callback sends the browser back with `?oauth=connected` or `?oauth=<problem type>`.
// Only these known codes are shown (as our own sentences): text from the URL is never echoed.
const OAUTH_FAILURES = {
  "oauth-denied": "Atlassian access was not granted: the request was cancelled or refused on Atlassian's page. Start again with “Connect with Atlassian” and choose Accept.",
  "oauth-state-invalid": "The connection could not be confirmed: the link from Atlassian expired, was already used, or came back to another browser. Start again with “Connect with Atlassian” in this browser.",
  "oauth-exchange-failed": "Atlassian refused to exchange the authorisation code for tokens. Try again; if it keeps failing, check the server's JIRA_CLIENT_ID and JIRA_CLIENT_SECRET.",
  "oauth-site-mismatch": "The Atlassian account you authorised cannot reach this tracker's site (its base URL). Connect with an account of that site, or correct the base URL. Nothing was stored.",
  "oauth-not-configured": "Connecting with Atlassian is not set up on this server: JIRA_CLIENT_ID, JIRA_CLIENT_SECRET and PUBLIC_BASE_URL must be set.",
};

/**
 * The notice for `?oauth=…` (null without one), and removes the parameter from the address so
 * a reload or a bookmark does not repeat an old outcome.
 */
export function oauthNotice(query) {
  const code = query.get("oauth");
  if (!code) return null;
  const url = new URL(location.href);
  url.searchParams.delete("oauth");
  history.replaceState(null, "", url.pathname + url.search + url.hash);
  if (code === "connected") {
    return h("p", { class: "notice success-notice", role: "status", id: "oauth-result" },
      "Connected to Atlassian. The tracker can sync now.");
  }
  return h("div", { class: "problem", role: "alert", id: "oauth-result" },
    h("p", {}, OAUTH_FAILURES[code] ?? "Connecting with Atlassian failed. Start again with “Connect with Atlassian”; if it keeps failing, look at the server's log."));
}
