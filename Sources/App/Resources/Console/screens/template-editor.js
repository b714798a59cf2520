// The template editor (new and existing): body with line numbers, variables schema, lint
// diagnostics from the server as the lead types, a preview of the draft against a real issue
// with sample variables and the exact token count, and Save (POST, or PATCH → a new version).
import { get, patch, post } from "../lib/api.js";
import { createCodeEditor } from "../lib/code-editor.js";
import { debounce, latestOnly } from "../lib/debounce.js";
import { clear, field, h, select } from "../lib/dom.js";
import { clearProblems, fieldErrors, placeFieldError, problemSlot, showProblem } from "../lib/problem.js";
import { sampleVars } from "../lib/schema-form.js";

const FIELD_CONTROLS = { name: "template-name", bodyMd: "template-body", lintJson: "template-schema" };

function editorControlFor(field) {
  if (/^\/?vars(\/|$)/.test(field)) return "preview-vars";
  return FIELD_CONTROLS[field] ?? FIELD_CONTROLS[String(field).split(/[./]/)[0]] ?? null;
}

/**
 * `{bodyMd, lintJson}` for the API. An empty schema box leaves `lintJson` out (no schema);
 * a PATCH that clears a saved schema sends null, which removes it.
 */
function draft(bodyMd, lintJson, clearing = false) {
  const body = { bodyMd };
  if (lintJson !== null || clearing) body.lintJson = lintJson;
  return body;
}

/** Parses the schema textarea: {ok, value} (null when empty) or {ok: false, message}. */
function parseJSON(text) {
  if (!text.trim()) return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: `is not valid JSON: ${error.message}` };
  }
}

export async function render(view, ctx) {
  let templateId = ctx.params.id ?? null;
  const [template, issues, models] = await Promise.all([
    templateId ? get(`/prompt-templates/${encodeURIComponent(templateId)}`) : Promise.resolve(null),
    get("/issues", { limit: 50 }).catch(() => []),
    get("/models").catch(() => []),
  ]);

  const heading = h("h1", {}, template ? `Edit template ${template.name}` : "New template");
  const historyLink = h("a", { href: templateId ? `/app/templates/${encodeURIComponent(templateId)}/history` : "#", class: "button secondary", hidden: !templateId }, "History");
  const name = h("input", { type: "text", id: "template-name", name: "name", value: template?.name ?? "", maxlength: "200", autocomplete: "off", "aria-required": "true" });
  const editor = createCodeEditor({ id: "template-body", value: template?.bodyMd ?? "", describedBy: "lint-summary" });
  const schema = h("textarea", { id: "template-schema", name: "lintJson", rows: "8", class: "code", spellcheck: "false",
    value: template?.lintJson ? JSON.stringify(template.lintJson, null, 2) : "" });
  const slot = problemSlot();
  const saveStatus = h("p", { class: "save-status", role: "status" });
  const saveButton = h("button", { type: "submit" }, "Save");

  const lintSummary = h("p", { id: "lint-summary", class: "lint-summary", "aria-live": "polite" }, "Not checked yet.");
  const diagnosticsList = h("ul", { id: "diagnostics", class: "diagnostics" });

  const issueSelect = select("preview-issue", issues.length
    ? issues.map((i) => ({ value: i.id, label: `${i.extKey} ${i.title}` }))
    : [{ value: "", label: "No issue synced yet" }], issues[0]?.id);
  const defaultModel = models.find((m) => m.default) ?? models[0];
  const modelSelect = select("model", models.map((m) => ({ value: m.model, label: `${m.model} (${m.encoding})` })), defaultModel?.model);
  let varsEdited = false;
  const varsArea = h("textarea", { id: "preview-vars", rows: "5", class: "code", spellcheck: "false",
    value: JSON.stringify(sampleVars(template?.lintJson), null, 2) });
  const preview = h("pre", { id: "preview", class: "prompt-text", tabindex: "0", "aria-label": "Preview of the draft" });
  const tokenCount = h("span", { id: "token-count" }, "—");
  const previewSlot = problemSlot();
  const previewHint = h("p", { class: "help" }, "The preview appears once the draft has a body and lints without errors.");

  const form = h("form", { class: "template-form", novalidate: true },
    field("Name", name, { help: "Unique in your company; also the partial name ({{> name}}): no spaces or braces.", required: true }),
    h("div", { class: "field" }, h("label", { for: "template-body" }, "Body"),
      h("p", { class: "help", id: "template-body-help" }, "Markdown with Handlebars placeholders such as {{title}}, {{description}}, {{criteria}}."),
      editor.element),
    field("Variables schema (JSON)", schema, { help: "A JSON Schema object describing the template's own variables; leave empty for none." }),
    slot, h("div", { class: "actions" }, saveButton, historyLink, saveStatus));
  editor.textarea.setAttribute("aria-describedby", "template-body-help lint-summary");

  view.append(
    h("p", { class: "breadcrumb" }, h("a", { href: "/app/templates" }, "Templates")),
    heading,
    h("div", { class: "two-columns" },
      h("section", { "aria-labelledby": "editor-heading" }, h("h2", { id: "editor-heading" }, "Template"), form),
      h("div", {},
        h("section", { "aria-labelledby": "lint-heading" }, h("h2", { id: "lint-heading" }, "Lint"), lintSummary, diagnosticsList),
        h("section", { "aria-labelledby": "preview-heading", class: "preview-pane" },
          h("h2", { id: "preview-heading" }, "Preview"),
          field("Preview issue", issueSelect), field("Model", modelSelect),
          field("Sample variables (JSON)", varsArea, { help: "Filled from the schema's defaults and examples." }),
          h("p", { class: "preview-status", "aria-live": "polite" }, "Tokens: ", tokenCount),
          previewHint, previewSlot, preview))));

  function showDiagnostics(diagnostics) {
    const errors = diagnostics.filter((d) => d.severity === "error").length;
    const warnings = diagnostics.length - errors;
    lintSummary.textContent = diagnostics.length
      ? `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}.`
      : "No problems found.";
    editor.setMarkers(diagnostics);
    clear(diagnosticsList).append(...diagnostics.map((d) => {
      const where = h("button", { type: "button", class: "link-button" }, `${d.severity === "error" ? "Error" : "Warning"} at line ${d.line}, column ${d.column}`);
      where.addEventListener("click", () => editor.goTo(d.line, d.column));
      return h("li", { class: `diagnostic diagnostic-${d.severity}`, dataset: { severity: d.severity, code: d.code, line: String(d.line), column: String(d.column) } },
        where, `: ${d.message} `, h("code", {}, d.code));
    }));
  }

  /** Client-side check of the schema box; shows its error beside it. */
  function schemaValue() {
    const parsed = parseJSON(schema.value);
    const old = document.getElementById("template-schema-error");
    if (old) clearProblems(old.parentElement);
    if (!parsed.ok) placeFieldError(schema, parsed.message);
    return parsed;
  }

  // The preview only runs on a draft that lints without errors: a draft the server would refuse
  // cannot render, and asking would only produce a failed request.
  let lintClean = false;

  const lintCall = latestOnly((body) => post("/prompt-templates/lint", body).then((ok) => ({ ok }), (error) => ({ error })));
  const runLint = debounce(async () => {
    const parsed = schemaValue();
    lintClean = false;
    previewHint.hidden = false;
    if (!parsed.ok) {
      lintSummary.textContent = "The variables schema is not valid JSON; fix it to lint.";
      return;
    }
    if (!editor.textarea.value.trim()) {
      showDiagnostics([]);
      lintSummary.textContent = "Write a body to lint it.";
      return;
    }
    // The name lets the server find a partial cycle through this very template.
    const body = draft(editor.textarea.value, parsed.value);
    if (name.value.trim()) body.name = name.value.trim();
    const outcome = await lintCall(body);
    if (!outcome.current) return;
    if (outcome.result.error) {
      const problem = outcome.result.error.problem;
      if (problem?.diagnostics) showDiagnostics(problem.diagnostics);
      else lintSummary.textContent = `Lint failed: ${problem?.detail ?? problem?.title ?? "error"}`;
      return;
    }
    const diagnostics = outcome.result.ok.diagnostics ?? [];
    showDiagnostics(diagnostics);
    lintClean = !diagnostics.some((d) => d.severity === "error");
    previewHint.hidden = lintClean;
    if (lintClean) runPreview.now();
  }, 400);

  const previewCall = latestOnly((body) => post("/prompts/preview", body).then((ok) => ({ ok }), (error) => ({ error })));
  const runPreview = debounce(async () => {
    const parsed = parseJSON(schema.value);
    const vars = parseJSON(varsArea.value);
    if (!issueSelect.value || !parsed.ok || !lintClean || !editor.textarea.value.trim()) return;
    clearProblems(varsArea.closest(".field"), previewSlot);
    if (!vars.ok) {
      placeFieldError(varsArea, vars.message);
      return;
    }
    const body = { issueId: issueSelect.value, templateOverride: draft(editor.textarea.value, parsed.value), vars: vars.value ?? {} };
    if (modelSelect.value) body.model = modelSelect.value;
    const outcome = await previewCall(body);
    if (!outcome.current) return;
    if (outcome.result.error) {
      preview.classList.add("stale");
      tokenCount.textContent = "—";
      showProblem(previewSlot, outcome.result.error, (f) => (/^\/?vars/.test(f) ? "preview-vars" : null));
      return;
    }
    preview.classList.remove("stale");
    preview.textContent = outcome.result.ok.promptText;
    tokenCount.textContent = String(outcome.result.ok.tokens);
  }, 400);

  // Body and schema edits go through the lint, which starts the preview when the draft is clean.
  editor.textarea.addEventListener("input", () => runLint());
  schema.addEventListener("input", () => {
    const parsed = parseJSON(schema.value);
    if (parsed.ok && !varsEdited) varsArea.value = JSON.stringify(sampleVars(parsed.value), null, 2);
    runLint();
  });
  varsArea.addEventListener("input", () => {
    varsEdited = true;
    runPreview();
  });
  issueSelect.addEventListener("change", () => runPreview.now());
  modelSelect.addEventListener("change", () => runPreview.now());

  let savedSchema = template?.lintJson ?? null; // what the server has, to know a cleared schema
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearProblems(form, slot);
    saveStatus.textContent = "";
    const parsed = schemaValue();
    if (!parsed.ok) {
      schema.focus();
      return;
    }
    const body = { name: name.value.trim(), ...draft(editor.textarea.value, parsed.value, Boolean(templateId && savedSchema)) };
    saveButton.disabled = true;
    try {
      const saved = templateId
        ? await patch(`/prompt-templates/${encodeURIComponent(templateId)}`, body)
        : await post("/prompt-templates", body);
      templateId = saved.id;
      savedSchema = saved.lintJson ?? null;
      // The draft is now a saved template: its own URL, its history, the editor stays as it is.
      history.replaceState(null, "", `/app/templates/${encodeURIComponent(saved.id)}`);
      heading.textContent = `Edit template ${saved.name}`;
      document.title = `${heading.textContent} · Promptsmith`;
      historyLink.href = `/app/templates/${encodeURIComponent(saved.id)}/history`;
      historyLink.hidden = false;
      saveStatus.textContent = `Saved as version ${saved.version}.`;
      showDiagnostics(saved.warnings ?? []);
    } catch (error) {
      if (error.problem?.diagnostics) showDiagnostics(error.problem.diagnostics);
      showProblem(slot, error, editorControlFor);
      // A 409 names no field, but the only unique thing here is the name: say so beside it.
      if (error.status === 409 && !fieldErrors(error.problem).length) placeFieldError(name, "is already taken by another template.");
    } finally {
      saveButton.disabled = false;
    }
  });

  ctx.afterMount = () => runLint.now();
}
