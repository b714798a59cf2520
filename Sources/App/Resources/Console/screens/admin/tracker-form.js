// The tracker settings form, for a new tracker and an existing one. It asks only what the chosen
// type and authentication need; stored credentials are never shown (the API returns only the
// names in `credentialsSet`): their inputs stay empty, "leave empty to keep".
import { clear, field, h } from "../../lib/dom.js";
import { placeFieldError } from "../../lib/problem.js";
import { KIND_LABELS, TYPE_LABELS } from "./tracker-labels.js";

// CreateTrackerRequest's types and TrackerAuth's kinds per type (openapi.yaml). "server" is the
// console's name for "send no auth": Teamwork then uses the server's TEAMWORK_API_KEY.
const KINDS = {
  "jira-cloud": ["apiToken", "oauth2"],
  "jira-dc": ["pat", "basic"],
  teamwork: ["apiKey", "pat", "server"],
  github: ["pat"],
  gitlab: ["pat"],
  linear: ["apiKey"],
};
const SERVER_KEY_LABEL = "The server's key (TEAMWORK_API_KEY)";

// Each kind's credential members: [API name, label, input type, autocomplete]. Secrets say
// "new-password" so the browser does not offer the admin's own Promptsmith password.
const CREDENTIALS = {
  apiToken: [["email", "Atlassian account e-mail", "email", null], ["apiToken", "API token", "password", "new-password"]],
  oauth2: [],
  pat: [["token", "Token", "password", "new-password"]],
  basic: [["username", "Username", "text", "off"], ["password", "Password", "password", "new-password"]],
  apiKey: [["apiKey", "Key", "password", "new-password"]],
  server: [],
};
const CREDENTIAL_NAMES = ["email", "apiToken", "token", "username", "password", "apiKey"];

const isJira = (type) => type === "jira-cloud" || type === "jira-dc";
const takesWebhooks = (type) => isJira(type) || type === "github" || type === "gitlab" || type === "linear";
// The list a type's `scope` holds (TrackerScope in openapi.yaml), and who knows "in progress":
// GitHub and GitLab only have open and closed, so a label says it; Linear's states say it.
const SCOPE_LISTS = { github: "repositories", gitlab: "projects", linear: "teams" };
const takesLabel = (type) => type === "github" || type === "gitlab";
// Who sends the webhook calls, for the secret's help.
const VENDORS = { "jira-cloud": "Jira", "jira-dc": "Jira", github: "GitHub", gitlab: "GitLab", linear: "Linear" };
// Linear has one API host: the server takes it for a new linear tracker sent without baseUrl.
const LINEAR_API = "https://api.linear.app";
const credentialId = (name) => `tracker-auth-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

const CONTROLS = {
  type: "tracker-type-jira-cloud", name: "tracker-name", baseUrl: "tracker-base-url",
  acceptanceCriteriaField: "tracker-criteria-field", jql: "tracker-jql",
  syncIntervalMinutes: "tracker-interval", webhookSecret: "tracker-webhook-secret",
  "scope.repositories": "tracker-repositories", "scope.projects": "tracker-projects",
  "scope.teams": "tracker-teams", "scope.inProgressLabel": "tracker-in-progress-label",
};
const SCOPE_CONTROLS = ["tracker-repositories", "tracker-projects", "tracker-teams"];

/** `scope` itself names the list the chosen type shows (repositories, projects or teams). */
function shownScopeControl() {
  return SCOPE_CONTROLS.find((id) => {
    const control = document.getElementById(id);
    return control && !control.closest(".field")?.hidden;
  }) ?? null;
}

/** API field names (`auth.email`, `/auth/email`, `baseUrl`) → this form's control ids. */
export function trackerControlFor(name) {
  const path = String(name).replace(/^\//, "").replace(/\//g, ".");
  if (path === "auth" || path === "auth.kind") return document.querySelector("input[name=tracker-auth-kind]")?.id ?? null;
  if (path.startsWith("auth.")) return credentialId(path.slice(5));
  if (path === "scope") return shownScopeControl();
  return CONTROLS[path.replace(/(\[\d+\]|\.\d+)$/, "")] ?? null; // scope.projects[3] → the projects list
}

function radios(name, legend, options, checked, help) {
  return h("fieldset", { class: "radios" }, h("legend", {}, legend),
    help ? h("p", { class: "help" }, help) : null,
    options.map((o) => h("div", { class: "field-checkbox" },
      h("input", { type: "radio", name, id: `${name}-${o.value}`, value: o.value, checked: o.value === checked }),
      h("label", { for: `${name}-${o.value}` }, o.label))));
}

/**
 * Builds the form. `tracker`: the stored tracker (edit) or null (new); `initialType`: a type to
 * preselect for a new one. Returns {form, read(), reset(tracker)}; read() gives the request body
 * (POST: everything filled in; PATCH: only what changed) or null when a client check failed.
 */
export function trackerForm(tracker, { initialType, submitLabel }) {
  let stored = tracker;
  let type = tracker?.type ?? (KINDS[initialType] ? initialType : null);
  const name = h("input", { type: "text", id: "tracker-name", maxlength: "200", autocomplete: "off", value: tracker?.name ?? "" });
  const baseUrl = h("input", { type: "text", id: "tracker-base-url", inputmode: "url", autocomplete: "off", spellcheck: "false", value: tracker?.baseUrl ?? "" });
  const criteria = h("input", { type: "text", id: "tracker-criteria-field", autocomplete: "off", spellcheck: "false", value: tracker?.acceptanceCriteriaField ?? "" });
  const jql = h("textarea", { id: "tracker-jql", rows: "2", class: "code", spellcheck: "false", value: tracker?.jql ?? "" });
  const interval = h("input", { type: "number", id: "tracker-interval", min: "1", max: "1440", step: "1", value: String(tracker?.syncIntervalMinutes ?? 5) });
  const secret = h("input", { type: "password", id: "tracker-webhook-secret", autocomplete: "new-password", minlength: "16" });
  const list = (id, member) => h("textarea", { id, rows: "3", class: "code", spellcheck: "false",
    value: (tracker?.scope?.[member] ?? []).join("\n") });
  const repositories = list("tracker-repositories", "repositories");
  const projects = list("tracker-projects", "projects");
  const teams = list("tracker-teams", "teams");
  const scopeInputs = { repositories, projects, teams };
  const inProgressLabel = h("input", { type: "text", id: "tracker-in-progress-label", maxlength: "100", autocomplete: "off",
    value: tracker?.scope?.inProgressLabel ?? "" });
  const credentialInputs = Object.fromEntries(CREDENTIAL_NAMES.map((n) => [n, null]));

  const typeBox = h("div", { class: "tracker-type" });
  const kindBox = h("div", { class: "tracker-kind" });
  const credentialBox = h("div", { class: "tracker-credentials" });
  const jqlField = field("JQL filter", jql, { help: "Only issues matching this JQL are synced; empty for every issue the account can see." });
  const secretField = field("Webhook secret", secret, { help: "At least 16 characters." }); // help set by secretHelp()
  const baseUrlField = field("Base URL", baseUrl, { required: true,
    help: "The tracker's site, e.g. https://acme.atlassian.net; for GitHub https://api.github.com (Enterprise: https://HOST/api/v3); for GitLab https://gitlab.com or your instance; for Linear leave it empty for https://api.linear.app. API paths are appended to it." });
  const criteriaField = field("Acceptance criteria field", criteria, { help: "The custom field that holds acceptance criteria (e.g. customfield_10047); empty for none." });
  const repositoriesField = field("Repositories", repositories, { help: "One owner/name per line, e.g. octo-org/octo-repo (at most 50)." });
  const projectsField = field("Projects", projects, { help: "One group/project per line, e.g. acme-group/web-shop or acme-group/platform/api (at most 50)." });
  const teamsField = field("Teams", teams, { help: "One team key per line, e.g. ENG, the prefix of the team's issue identifiers (at most 50)." });
  const labelField = field("In-progress label", inProgressLabel, { help: "An assigned open issue with this label counts as in progress; empty: open issues are to do." });
  const scopeFields = { repositories: repositoriesField, projects: projectsField, teams: teamsField };
  const jiraOnly = [jqlField, criteriaField];
  const typed = h("div", { class: "tracker-settings" },
    field("Name", name, { required: true, help: "How the console and issue lists name this tracker." }),
    baseUrlField,
    kindBox, credentialBox, repositoriesField, projectsField, teamsField, labelField,
    criteriaField,
    jqlField,
    field("Sync interval (minutes)", interval, { help: "1 to 1,440 minutes between automatic syncs." }),
    secretField);
  const actions = h("div", { class: "actions" }, h("button", { type: "submit" }, submitLabel));
  const form = h("form", { class: "tracker-form", novalidate: true }, typeBox, typed, actions);
  const hint = h("p", { class: "help", id: "tracker-type-hint" }, "Choose the tracker type to see its settings.");

  function secretHelp() {
    const p = secret.closest(".field").querySelector(".help");
    if (stored?.webhookSecretSet) {
      p.textContent = "Stored — leave empty to keep. A new one (at least 16 characters) replaces it.";
    } else if (type === "gitlab") {
      // GitLab signs nothing: it sends the webhook's secret token itself with every call.
      p.textContent = "At least 16 characters; enter the same one as the GitLab webhook's secret token (GitLab sends it as X-Gitlab-Token). Optional.";
    } else if (type === "linear") {
      // Linear makes the secret: it exists only once the webhook does.
      p.textContent = "Paste the signing secret Linear shows on the webhook's page; Linear signs its webhook calls with it. Optional.";
    } else {
      p.textContent = `At least 16 characters; ${VENDORS[type] ?? "Jira"} signs its webhook calls with it. Optional.`;
    }
  }

  function drawCredentials(kind) {
    clear(credentialBox);
    for (const n of CREDENTIAL_NAMES) credentialInputs[n] = null;
    const sameKind = stored && stored.authKind === kind;
    for (const [member, label, inputType, autocomplete] of CREDENTIALS[kind] ?? []) {
      const input = h("input", { type: inputType, id: credentialId(member), autocomplete, spellcheck: "false" });
      credentialInputs[member] = input;
      const isStored = sameKind && stored.credentialsSet?.includes(member);
      credentialBox.append(field(label, input, isStored ? { help: "Stored — leave empty to keep." } : { required: true }));
    }
    if (kind === "oauth2") {
      credentialBox.append(h("p", { class: "help" }, stored?.authKind === "oauth2"
        ? "Authorised through Atlassian: use “Connect with Atlassian” on this page to connect or reconnect."
        : "After saving, use “Connect with Atlassian” to let Promptsmith read this site."));
    }
    if (kind === "server") credentialBox.append(h("p", { class: "help" }, "No credentials here: the server's TEAMWORK_API_KEY is used."));
  }

  function drawKinds() {
    clear(kindBox);
    if (!type) return;
    const kinds = KINDS[type].filter((k) => k !== "server" || !stored); // "no auth" only when creating
    const current = stored?.authKind ?? kinds[0];
    kindBox.append(radios("tracker-auth-kind", "Authentication",
      kinds.map((k) => ({ value: k, label: k === "server" ? SERVER_KEY_LABEL : KIND_LABELS[k] })), current));
    for (const radio of kindBox.querySelectorAll("input")) radio.addEventListener("change", () => drawCredentials(radio.value));
    drawCredentials(current);
  }

  function drawType() {
    typed.hidden = !type;
    actions.hidden = !type;
    hint.hidden = Boolean(type);
    for (const part of jiraOnly) part.hidden = !isJira(type);
    for (const [member, part] of Object.entries(scopeFields)) part.hidden = SCOPE_LISTS[type] !== member;
    labelField.hidden = !takesLabel(type);
    // A new Linear tracker may leave the base URL empty: the server then uses Linear's API.
    baseUrlField.querySelector(".required").hidden = type === "linear" && !stored;
    secretField.hidden = !takesWebhooks(type);
    if (type) secretHelp();
    drawKinds();
  }

  if (tracker) {
    typeBox.append(h("p", {}, h("strong", {}, "Type: "), TYPE_LABELS[tracker.type] ?? tracker.type));
  } else {
    typeBox.append(radios("tracker-type", "Tracker type", Object.entries(TYPE_LABELS).map(([value, label]) => ({ value, label })), type,
      "The type cannot be changed later."), hint);
    for (const radio of typeBox.querySelectorAll("input")) {
      radio.addEventListener("change", () => {
        type = radio.value;
        history.replaceState(null, "", `${location.pathname}?type=${encodeURIComponent(type)}`); // a reload keeps the choice
        drawType();
      });
    }
  }
  secretHelp();
  drawType();

  function kind() {
    return kindBox.querySelector("input:checked")?.value ?? null;
  }

  /** Client-side checks the API would only answer with a less helpful 400. */
  function checked() {
    const minutes = Number(interval.value);
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440) {
      placeFieldError(interval, "must be a whole number from 1 to 1,440.");
      return false;
    }
    return true;
  }

  /**
   * The scope of a GitHub, GitLab or Linear tracker: one repository, project or team per line,
   * and for GitHub and GitLab the in-progress label when given.
   */
  function scope() {
    const member = SCOPE_LISTS[type];
    const value = { [member]: scopeInputs[member].value.split("\n").map((line) => line.trim()).filter(Boolean) };
    if (takesLabel(type)) value.inProgressLabel = inProgressLabel.value.trim() || null;
    return value;
  }

  function auth() {
    const k = kind();
    const credentials = {};
    for (const [member] of CREDENTIALS[k] ?? []) {
      const value = credentialInputs[member]?.value ?? "";
      if (value !== "") credentials[member] = member === "email" || member === "username" ? value.trim() : value;
    }
    return { kind: k, credentials };
  }

  function readNew() {
    if (!type) {
      placeFieldError(document.getElementById(CONTROLS.type), "Choose a type first.");
      return null;
    }
    if (!checked()) return null;
    const body = { type, name: name.value.trim(), baseUrl: baseUrl.value.trim(), syncIntervalMinutes: Number(interval.value) };
    if (type === "linear" && !body.baseUrl) delete body.baseUrl; // the server defaults it to Linear's API
    const a = auth();
    if (a.kind !== "server") body.auth = { kind: a.kind, ...a.credentials };
    if (isJira(type) && criteria.value.trim()) body.acceptanceCriteriaField = criteria.value.trim();
    if (isJira(type) && jql.value.trim()) body.jql = jql.value.trim();
    if (takesWebhooks(type) && secret.value) body.webhookSecret = secret.value;
    if (SCOPE_LISTS[type]) body.scope = scope();
    return body;
  }

  function readChanges() {
    if (!checked()) return null;
    const body = {};
    const text = (input, key) => {
      const value = input.value.trim();
      const before = stored[key] ?? "";
      // An emptied optional setting is sent as null, which clears it.
      if (value !== before) body[key] = value === "" && key !== "name" && key !== "baseUrl" ? null : value;
    };
    text(name, "name");
    // An emptied base URL means Linear's own API for Linear, as it does for a new tracker.
    const base = baseUrl.value.trim() || (type === "linear" ? LINEAR_API : "");
    if (base !== stored.baseUrl) body.baseUrl = base;
    text(criteria, "acceptanceCriteriaField");
    if (isJira(type)) text(jql, "jql");
    if (Number(interval.value) !== stored.syncIntervalMinutes) body.syncIntervalMinutes = Number(interval.value);
    if (takesWebhooks(type) && secret.value) body.webhookSecret = secret.value;
    const member = SCOPE_LISTS[type];
    if (member) {
      const next = scope();
      const before = stored.scope ?? {};
      if (JSON.stringify(next[member]) !== JSON.stringify(before[member] ?? [])
        || (next.inProgressLabel ?? null) !== (before.inProgressLabel ?? null)) body.scope = next;
    }
    const a = auth();
    if (a.kind !== stored.authKind || Object.keys(a.credentials).length) body.auth = { kind: a.kind, ...a.credentials };
    return body;
  }

  return {
    form,
    read: () => (stored ? readChanges() : readNew()),
    /** After a save: the form now describes `saved` (credential inputs empty again). */
    reset(saved) {
      stored = saved;
      secret.value = "";
      secretHelp();
      drawKinds();
    },
  };
}
