// One tracker (admin): its sync status, "Test connection", "Sync now" (queues a job and follows
// it until it ends), "Connect with Atlassian" for OAuth trackers, the webhook URL to give the
// tracker (Jira, GitHub, GitLab, Linear),
// the settings form (PATCH sends only what changed) and "Archive" behind a confirmation.
// Also the page for a new tracker (/app/admin/trackers/new), which has only the form.
import { get, patch, post, request } from "../../lib/api.js";
import { confirmAction } from "../../lib/confirm.js";
import { append, clear, h } from "../../lib/dom.js";
import { formatNumber, formatTime, relativeTimeElement } from "../../lib/format.js";
import { safeHref } from "../../lib/markdown.js";
import { clearProblems, problemSlot, showProblem } from "../../lib/problem.js";
import { copyButton } from "../../lib/secret.js";
import { trackerControlFor, trackerForm } from "./tracker-form.js";
import { KIND_LABELS, TYPE_LABELS, oauthNotice } from "./tracker-labels.js";
import { reauthBadge } from "./trackers.js";

const TERMINAL = new Set(["succeeded", "dead", "cancelled"]);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One line for a sync job's progress, the same words the jobs screen uses. */
function describeJob(job) {
  const attempt = `attempt ${job.attempt} of ${job.maxAttempts}`;
  switch (job.state) {
    case "available": return `Sync queued, waiting for a worker (${attempt}).`;
    case "running": return `Sync running (${attempt}).`;
    case "retryable": return `Sync attempt failed; it will be retried ${formatTime(job.runAt)} (${attempt}): ${job.lastError ?? "no reason given"}`;
    case "succeeded": return "Sync finished.";
    case "dead": return `Sync failed for good after ${job.attempt} attempts: ${job.lastError ?? "no reason given"}`;
    case "cancelled": return "Sync cancelled.";
    default: return `Sync job: ${job.state}.`;
  }
}

function facts(tracker) {
  const rows = [
    ["Type", TYPE_LABELS[tracker.type] ?? tracker.type],
    ["Authentication", tracker.authKind ? KIND_LABELS[tracker.authKind] ?? tracker.authKind : "The server's key (TEAMWORK_API_KEY)"],
    ["Stored credentials", tracker.credentialsSet?.length ? tracker.credentialsSet.join(", ") : "none"],
    ["Last sync", tracker.lastSyncAt ? relativeTimeElement(tracker.lastSyncAt) : "Never"],
    ["Issues", formatNumber(tracker.issueCount)],
    ["Last error", tracker.lastError ?? "—"],
    ["Sync interval", `${formatNumber(tracker.syncIntervalMinutes)} minutes`],
  ];
  return [
    tracker.needsReauth
      ? h("p", { class: "notice warning-notice" }, reauthBadge(tracker), " The tracker refused the stored credentials. Enter new ones under Settings",
        tracker.authKind === "oauth2" ? " or connect with Atlassian again." : ".")
      : null,
    h("dl", { class: "facts", id: "tracker-facts" }, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
  ];
}

// The trackers that push their issue events to Promptsmith, and what to set up at each.
const WEBHOOK_VENDORS = { "jira-cloud": "Jira", "jira-dc": "Jira", github: "GitHub", gitlab: "GitLab", linear: "Linear" };
const WEBHOOK_STEPS = {
  github: "Add a webhook to each repository (or the organisation) with this payload URL, the content type application/json, the tracker's webhook secret and the “Issues” events:",
  gitlab: "Add a webhook to each project under Settings → Webhooks with this URL, the tracker's webhook secret as its secret token and the trigger “Issues events” (and “Confidential issues events” to sync those too):",
  linear: "Add a webhook under Settings → API → Webhooks with this URL and the data change events “Issues”, then copy the signing secret Linear shows into the tracker's webhook secret:",
};

function webhookSection(tracker) {
  if (!WEBHOOK_VENDORS[tracker.type] && !tracker.webhookUrl) return null;
  const url = tracker.webhookUrl ?? null;
  const vendor = WEBHOOK_VENDORS[tracker.type] ?? "Jira";
  const body = url
    ? [h("p", {}, WEBHOOK_STEPS[tracker.type] ?? "Point Jira's webhook (issue created, updated and deleted) at this address:"),
      h("p", {}, h("code", { class: "secret", id: "webhook-url" }, url)),
      (() => {
        const { button, status } = copyButton("Copy webhook URL", url);
        return h("div", { class: "actions" }, button, status);
      })(),
      tracker.webhookSecretSet ? null
        : h("p", { class: "help" }, `No webhook secret is set: ${vendor}'s calls are refused until you set one under Settings.`)]
    : [h("p", { class: "notice", id: "webhook-url-missing" },
      `There is no webhook URL yet: the server does not know its public address because PUBLIC_BASE_URL is not set. Set PUBLIC_BASE_URL to the address ${vendor} can reach and reload this page.`)];
  return h("section", { "aria-labelledby": "webhook-heading" }, h("h2", { id: "webhook-heading" }, "Webhook"), body);
}

export async function render(view, ctx) {
  const id = ctx.params.id ?? null;
  let tracker = id ? await get(`/trackers/${encodeURIComponent(id)}`) : null;
  const path = id ? `/trackers/${encodeURIComponent(id)}` : null;
  const oauth = oauthNotice(ctx.query);
  const created = ctx.query.get("created") === "1";
  if (created) history.replaceState(null, "", location.pathname);

  const heading = h("h1", {}, tracker ? `Tracker ${tracker.name}` : "New tracker");
  append(view, [h("p", { class: "breadcrumb" }, h("a", { href: "/app/admin/trackers" }, "Trackers")), heading, oauth]);

  const formSlot = problemSlot();
  const saveStatus = h("p", { class: "save-status", role: "status" });
  const settings = trackerForm(tracker, { initialType: ctx.query.get("type"), submitLabel: tracker ? "Save changes" : "Create tracker" });
  settings.form.querySelector(".actions").append(saveStatus);
  settings.form.querySelector(".actions").before(formSlot);
  settings.form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearProblems(settings.form, formSlot);
    saveStatus.textContent = "";
    const body = settings.read();
    if (!body) return;
    if (tracker && !Object.keys(body).length) {
      saveStatus.textContent = "Nothing to save: no setting was changed.";
      return;
    }
    const button = settings.form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      if (!tracker) {
        const made = await post("/trackers", body);
        ctx.navigate(`/app/admin/trackers/${encodeURIComponent(made.id)}?created=1`);
        return;
      }
      tracker = await patch(path, body);
      settings.reset(tracker);
      redraw();
      heading.textContent = `Tracker ${tracker.name}`;
      document.title = `${heading.textContent} · Promptsmith`;
      saveStatus.textContent = "Saved.";
    } catch (error) {
      showProblem(formSlot, error, trackerControlFor);
    } finally {
      button.disabled = false;
    }
  });

  if (!tracker) {
    view.append(settings.form);
    return;
  }

  if (tracker.archivedAt) {
    view.append(h("p", { class: "notice", role: "status" }, `This tracker was archived ${formatTime(tracker.archivedAt)}. It no longer syncs; its issues stay readable.`),
      h("section", { "aria-labelledby": "status-heading" }, h("h2", { id: "status-heading" }, "Status"), facts(tracker)));
    return;
  }

  const factsBox = h("div", {}, facts(tracker));
  const webhookBox = h("div", {}, webhookSection(tracker));
  const testResult = h("div", { id: "test-result", class: "result", "aria-live": "polite" });
  const syncStatus = h("div", { id: "sync-status", class: "result", "aria-live": "polite" });
  const actionSlot = problemSlot();
  const testButton = h("button", { type: "button", class: "secondary" }, "Test connection");
  const syncButton = h("button", { type: "button", class: "secondary" }, "Sync now");
  const connectButton = h("button", { type: "button" }, "Connect with Atlassian");

  function redraw() {
    append(clear(factsBox), facts(tracker));
    append(clear(webhookBox), [webhookSection(tracker)]);
    connectButton.hidden = !(tracker.type === "jira-cloud" && tracker.authKind === "oauth2");
  }

  testButton.addEventListener("click", async () => {
    clear(testResult).append(h("p", {}, "Testing the connection…"));
    testButton.disabled = true;
    try {
      const outcome = await post(`${path}/test`);
      clear(testResult).append(outcome.ok
        ? h("p", { class: "success" }, `Connection works. ${outcome.detail}`)
        : h("p", { class: "error-text" }, `Connection failed: ${outcome.detail}`));
    } catch (error) {
      showProblem(testResult, error);
    } finally {
      testButton.disabled = false;
    }
  });

  syncButton.addEventListener("click", async () => {
    clear(actionSlot);
    syncButton.disabled = true;
    const line = h("p", {}, "Queuing a sync…");
    clear(syncStatus).append(line);
    try {
      const { jobId } = await post(`${path}/sync`);
      const jobLink = h("a", { href: `/app/admin/jobs?job=${encodeURIComponent(jobId)}` }, "See the job");
      syncStatus.append(h("p", {}, jobLink));
      // Poll once a second until the job ends; a user who leaves the page stops it.
      for (;;) {
        const job = await get(`/jobs/${encodeURIComponent(jobId)}`);
        if (!ctx.isCurrent()) return;
        const text = describeJob(job);
        if (line.textContent !== text) line.textContent = text; // announce changes only
        line.className = job.state === "dead" ? "error-text" : job.state === "succeeded" ? "success" : "";
        if (TERMINAL.has(job.state)) break;
        await sleep(1000);
        if (!ctx.isCurrent()) return;
      }
      tracker = await get(path);
      if (ctx.isCurrent()) redraw();
    } catch (error) {
      showProblem(actionSlot, error);
    } finally {
      syncButton.disabled = false;
    }
  });

  connectButton.addEventListener("click", async () => {
    clear(actionSlot);
    connectButton.disabled = true;
    try {
      // Through api.js, so the bearer token goes along; the JSON answer (not a redirect) lets
      // the console send the browser on itself. The server also sets the state cookie here.
      const { authorizationUrl } = await get(`${path}/oauth/start`, undefined, { headers: { Accept: "application/json" } });
      const target = safeHref(authorizationUrl ?? "");
      if (!target || target.startsWith("mailto:")) throw new Error("The server did not answer with an Atlassian address.");
      clear(syncStatus).append(h("p", {}, "Opening Atlassian…"));
      location.assign(target);
    } catch (error) {
      showProblem(actionSlot, error);
      connectButton.disabled = false;
    }
  });

  const archive = confirmAction({
    label: "Archive tracker",
    question: `Archive ${tracker.name}? It stops syncing and leaves the tracker list; its issues stay readable. The console cannot undo this.`,
    confirmLabel: "Yes, archive",
    action: async () => {
      await request(path, { method: "DELETE" });
      ctx.navigate("/app/admin/trackers?archived=1");
    },
  });

  redraw();
  append(view, [
    created ? h("p", { class: "notice", role: "status" }, tracker.authKind === "oauth2"
      ? "Tracker created. Connect with Atlassian, then sync it."
      : "Tracker created. Test the connection, then sync it.") : null,
    h("section", { "aria-labelledby": "status-heading" }, h("h2", { id: "status-heading" }, "Status"),
      factsBox,
      h("div", { class: "actions" }, testButton, syncButton, connectButton),
      actionSlot, testResult, syncStatus),
    webhookBox,
    h("section", { "aria-labelledby": "settings-heading" }, h("h2", { id: "settings-heading" }, "Settings"), settings.form),
    h("section", { "aria-labelledby": "archive-heading" }, h("h2", { id: "archive-heading" }, "Archive"),
      h("p", {}, "Archiving stops the syncs and hides the tracker; prompts made from its issues keep working."),
      archive),
  ]);
}
