// Personal access tokens (every signed-in user): one's own tokens, a new one (it needs the
// current password; the secret is shown once), the MCP configuration for Claude Code, Cursor
// and VS Code filled with it (the formats of README's "In your AI assistant (MCP)"), and
// revocation. Admins also see every token of the company and may revoke any.
import { getAll, post, request } from "../lib/api.js";
import { confirmAction } from "../lib/confirm.js";
import { append, clear, field, h, table } from "../lib/dom.js";
import { formatTime, relativeTimeElement, timeElement } from "../lib/format.js";
import { loadPeople, nameOf } from "../lib/people.js";
import { clearProblems, placeFieldError, problemSlot, showProblem } from "../lib/problem.js";
import { copyButton, secretBox } from "../lib/secret.js";
import { hasRole } from "../lib/session.js";

const PLACEHOLDER = "ps_pat_…";
const CONTROLS = { name: "token-name", expiresInDays: "token-expiry", currentPassword: "token-current-password" };

/** The assistants' configurations, exactly as README shows them, for this server's origin. */
function mcpSnippets(token) {
  const url = `${location.origin}/mcp`;
  const json = (value) => JSON.stringify(value, null, 2);
  return [
    {
      id: "claude-code", title: "Claude Code", where: "Run in a terminal:",
      text: `claude mcp add --transport http promptsmith ${url} --header "Authorization: Bearer ${token}"`,
      copy: "Copy Claude Code command",
    },
    {
      id: "claude-code-json", title: "Claude Code (project file)",
      where: "Or in the project's .mcp.json, with the token in the PROMPTSMITH_TOKEN environment variable (so the file can be committed):",
      text: json({ mcpServers: { promptsmith: { type: "http", url, headers: { Authorization: "Bearer ${PROMPTSMITH_TOKEN}" } } } }),
      extra: `export PROMPTSMITH_TOKEN=${token}`,
      copy: "Copy Claude Code .mcp.json",
    },
    {
      id: "cursor", title: "Cursor", where: "In ~/.cursor/mcp.json or the project's .cursor/mcp.json:",
      text: json({ mcpServers: { promptsmith: { url, headers: { Authorization: `Bearer ${token}` } } } }),
      copy: "Copy Cursor configuration",
    },
    {
      id: "vscode", title: "VS Code", where: "In .vscode/mcp.json; VS Code asks for the token once (paste it then) and keeps it in its secret store:",
      text: json({
        inputs: [{ type: "promptString", id: "promptsmith-token", description: "Promptsmith personal access token", password: true }],
        servers: { promptsmith: { type: "http", url, headers: { Authorization: "Bearer ${input:promptsmith-token}" } } },
      }),
      copy: "Copy VS Code configuration",
    },
  ];
}

function drawSnippets(box, token) {
  append(clear(box), [
    token === PLACEHOLDER ? h("p", { class: "help" }, "Create a token above: these snippets then contain it.") : null,
    mcpSnippets(token).map((s) => {
      const parts = [h("h3", { id: `mcp-${s.id}` }, s.title), h("p", {}, s.where),
        h("pre", { class: "prompt-text snippet", tabindex: "0", "aria-labelledby": `mcp-${s.id}` }, h("code", {}, s.text))];
      const { button, status } = copyButton(s.copy, s.text);
      parts.push(h("div", { class: "actions" }, button, status));
      if (s.extra) {
        parts.push(h("p", {}, "In your shell profile:"),
          h("pre", { class: "prompt-text snippet", tabindex: "0", "aria-label": "Shell line for PROMPTSMITH_TOKEN" }, h("code", {}, s.extra)));
        const env = copyButton("Copy export line", s.extra);
        parts.push(h("div", { class: "actions" }, env.button, env.status));
      }
      return h("div", { class: "snippet-block" }, parts);
    })]);
}

/** A token table; `revoke(token)` deletes it. Row ids let the audit trail link to a token. */
function tokenTable({ tokens, idPrefix, label, people, revoke, status }) {
  const rows = tokens.map((t) => ({
    attrs: { id: `${idPrefix}${t.id}`, dataset: { tokenId: t.id } },
    cells: [
      t.name,
      people ? nameOf(people, t.userId) : null,
      timeElement(t.createdAt),
      t.lastUsedAt ? relativeTimeElement(t.lastUsedAt) : "Never",
      timeElement(t.expiresAt),
      confirmAction({
        label: `Revoke ${t.name}`,
        question: `Revoke the token ${t.name}? Every program using it stops working at once.`,
        confirmLabel: "Yes, revoke",
        action: async () => {
          await revoke(t);
          for (const prefix of ["my-token-", "token-"]) document.getElementById(`${prefix}${t.id}`)?.remove();
          status.textContent = `The token ${t.name} was revoked.`;
        },
      }),
    ].filter((c) => c !== null),
  }));
  const headings = ["Name", people ? "User" : null, "Created", "Last used", "Expires", "Revoke"].filter(Boolean);
  return rows.length ? table(null, headings, rows, label) : h("p", { class: "empty" }, "No live token.");
}

export async function render(view) {
  const admin = hasRole("admin");
  const [ownTokens, all, people] = await Promise.all([
    getAll("/me/tokens"),
    admin ? getAll("/tokens") : null,
    admin ? loadPeople() : null,
  ]);
  let mine = ownTokens; // changes as tokens are created and revoked

  const name = h("input", { type: "text", id: CONTROLS.name, maxlength: "100", autocomplete: "off" });
  const expiry = h("input", { type: "number", id: CONTROLS.expiresInDays, min: "1", max: "365", step: "1", value: "90" });
  const password = h("input", { type: "password", id: CONTROLS.currentPassword, autocomplete: "current-password" });
  const slot = problemSlot();
  const submit = h("button", { type: "submit" }, "Create token");
  const result = h("div", { id: "new-token" });
  const form = h("form", { class: "token-form", novalidate: true },
    h("div", { class: "field-row" },
      field("Name", name, { required: true, help: "Where it is used, e.g. “Claude Code on my laptop”." }),
      field("Expires in (days)", expiry, { help: "1 to 365 days." })),
    field("Current password", password, { required: true, help: "Creating a token needs your password: the token acts as you." }),
    slot, h("div", { class: "actions" }, submit), result);

  const myStatus = h("p", { role: "status", class: "save-status" });
  const myList = h("div", {});
  const companyStatus = h("p", { role: "status", class: "save-status" });
  const companyList = h("div", {});
  const revokeAny = async (t) => {
    await request(`/tokens/${encodeURIComponent(t.id)}`, { method: "DELETE" });
    mine = mine.filter((m) => m.id !== t.id);
  };
  const drawCompany = (tokens) => clear(companyList).append(tokenTable({
    tokens, idPrefix: "token-", label: "All tokens of the company", people, revoke: revokeAny, status: companyStatus,
  }));
  const snippets = h("div", { id: "mcp-snippets" });
  const revokeMine = async (t) => {
    await request(`/me/tokens/${encodeURIComponent(t.id)}`, { method: "DELETE" });
    mine = mine.filter((m) => m.id !== t.id);
  };
  const drawMine = () => clear(myList).append(tokenTable({ tokens: mine, idPrefix: "my-token-", label: "Your tokens", revoke: revokeMine, status: myStatus }));
  drawMine();
  drawSnippets(snippets, PLACEHOLDER);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearProblems(form, slot);
    clear(result);
    const days = Number(expiry.value);
    if (expiry.value !== "" && !(Number.isInteger(days) && days >= 1 && days <= 365)) {
      placeFieldError(expiry, "must be a whole number of days from 1 to 365.");
      expiry.focus();
      return;
    }
    const body = { name: name.value.trim(), currentPassword: password.value };
    if (expiry.value !== "") body.expiresInDays = days;
    submit.disabled = true;
    try {
      const created = await post("/me/tokens", body);
      password.value = "";
      name.value = "";
      mine.push(created);
      drawMine();
      drawSnippets(snippets, created.token);
      if (admin) getAll("/tokens").then(drawCompany, () => {}); // the new one belongs there too
      result.append(
        h("p", { role: "status", class: "success" }, `Token ${created.name} created; it expires ${formatTime(created.expiresAt)}.`),
        secretBox({
          id: "new-token-secret", label: `New token ${created.name}`, secret: created.token, copyLabel: "Copy token",
          note: "Copy it now: this token will not be shown again. It acts as you, with your role, until it expires or you revoke it. The MCP snippets below now contain it.",
        }));
    } catch (error) {
      showProblem(slot, error, (f) => CONTROLS[String(f).replace(/^\//, "")] ?? null);
    } finally {
      submit.disabled = false;
    }
  });

  view.append(
    h("h1", {}, "Access tokens"),
    h("p", { class: "lead-text" }, "Personal access tokens let AI assistants (MCP) and scripts use Promptsmith as you."),
    h("section", { "aria-labelledby": "my-tokens-heading" }, h("h2", { id: "my-tokens-heading" }, "Your tokens"), myStatus, myList),
    h("section", { "aria-labelledby": "new-token-heading", class: "card" }, h("h2", { id: "new-token-heading" }, "Create a token"), form),
    h("section", { "aria-labelledby": "mcp-heading" }, h("h2", { id: "mcp-heading" }, "Use it in your AI assistant (MCP)"),
      h("p", {}, "The MCP endpoint of this server is ", h("code", {}, `${location.origin}/mcp`), "."), snippets),
  );
  if (admin) {
    drawCompany(all);
    view.append(h("section", { "aria-labelledby": "company-tokens-heading" },
      h("h2", { id: "company-tokens-heading" }, "All tokens of the company"), companyStatus, companyList));
  }
}
