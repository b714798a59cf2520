// Generate a prompt from an issue: pick a template (and version) and a model, fill the form
// built from the template's JSON Schema, watch the live preview with its exact token count
// (POST /prompts/preview stores nothing), then Generate (POST /prompts/generate stores a
// version) and copy or download the result.
import { get, getAll, post } from "../lib/api.js";
import { debounce, latestOnly } from "../lib/debounce.js";
import { clear, field, h, select } from "../lib/dom.js";
import { copyText, downloadLink, fileName } from "../lib/download.js";
import { formatNumber } from "../lib/format.js";
import { clearProblems, problemSlot, showProblem } from "../lib/problem.js";
import { buildSchemaForm, controlForVarsField } from "../lib/schema-form.js";
import { hasRole } from "../lib/session.js";

// Which API field names map to which of this screen's controls.
function controlFor(field) {
  return controlForVarsField(field)
    ?? { templateId: "template", templateVersion: "template-version", model: "model" }[field] ?? null;
}

export async function render(view, ctx) {
  const issueId = ctx.params.id;
  const [issue, templates, models] = await Promise.all([
    get(`/issues/${encodeURIComponent(issueId)}`),
    getAll("/prompt-templates"),
    get("/models"),
  ]);

  view.append(
    h("p", { class: "breadcrumb" }, h("a", { href: "/app/issues" }, "Issues"), " › ",
      h("a", { href: `/app/issues/${encodeURIComponent(issue.id)}` }, issue.extKey)),
    h("h1", {}, `Generate a prompt for ${issue.extKey}`),
    h("p", { class: "lead-text" }, issue.title),
  );
  if (!templates.length) {
    view.append(h("p", { class: "empty" }, "There is no template yet. ",
      hasRole("lead") ? h("a", { href: "/app/templates/new" }, "Create the first template") : "Ask a lead to create one."));
    return;
  }

  const wanted = ctx.query.get("template");
  const initial = templates.find((t) => t.id === wanted) ?? templates[0];
  const templateSelect = select("template", templates.map((t) => ({ value: t.id, label: t.name })), initial.id);
  const versionSelect = select("template-version", [], "");
  const defaultModel = models.find((m) => m.default) ?? models[0];
  const modelSelect = select("model", models.map((m) => ({ value: m.model, label: `${m.model} (${m.encoding})` })), defaultModel?.model);
  const variables = h("fieldset", { id: "variables", class: "variables" }, h("legend", {}, "Variables"));
  const slot = problemSlot();
  const generateButton = h("button", { type: "submit" }, "Generate");
  const form = h("form", { class: "generate-form", novalidate: true },
    h("div", { class: "field-row" }, field("Template", templateSelect), field("Version", versionSelect), field("Model", modelSelect)),
    variables, slot, h("div", { class: "actions" }, generateButton));

  const preview = h("pre", { id: "preview", class: "prompt-text", tabindex: "0", "aria-label": "Preview of the prompt" });
  const tokenCount = h("span", { id: "token-count" }, "…");
  const encoding = h("span", { class: "encoding" });
  const previewStatus = h("p", { class: "preview-status", "aria-live": "polite" }, "Tokens: ", tokenCount, " ", encoding);
  const previewSlot = problemSlot();
  const generated = h("section", { id: "generated", class: "generated", hidden: true, "aria-labelledby": "generated-heading" });

  view.append(h("div", { class: "two-columns" },
    h("section", { "aria-labelledby": "form-heading" }, h("h2", { id: "form-heading" }, "Template and variables"), form),
    h("section", { "aria-labelledby": "preview-heading", class: "preview-pane" },
      h("h2", { id: "preview-heading" }, "Preview"), previewStatus, previewSlot, preview)),
  generated);

  let reader = { read: () => ({}) };
  let versions = [];

  function body() {
    const b = { issueId: issue.id, templateId: templateSelect.value, vars: reader.read(), model: modelSelect.value, ide: "web-console" };
    if (versionSelect.value) b.templateVersion = Number(versionSelect.value);
    return b;
  }

  const previewCall = latestOnly((b) => post("/prompts/preview", b).then((r) => ({ ok: r }), (e) => ({ error: e })));
  const runPreview = debounce(async () => {
    const outcome = await previewCall(body());
    if (!outcome.current) return;
    clearProblems(form, previewSlot);
    const { ok, error } = outcome.result;
    if (error) {
      preview.classList.add("stale");
      tokenCount.textContent = "—";
      showProblem(previewSlot, error, controlFor);
      return;
    }
    preview.classList.remove("stale");
    preview.textContent = ok.promptText;
    tokenCount.textContent = String(ok.tokens);
    encoding.textContent = `(${ok.encoding}${ok.templateVersion ? `, template version ${ok.templateVersion}` : ""})`;
  }, 300);

  /** The schema of the chosen version: the template's own for "latest", else fetched. */
  async function schemaOfChoice() {
    const template = templates.find((t) => t.id === templateSelect.value);
    if (!versionSelect.value) return template.lintJson;
    const version = await get(`/prompt-templates/${encodeURIComponent(template.id)}/versions/${versionSelect.value}`);
    return version.lintJson;
  }

  async function rebuildVariables() {
    const schema = await schemaOfChoice();
    clear(variables).append(h("legend", {}, "Variables"));
    reader = buildSchemaForm(variables, schema);
  }

  async function loadVersions() {
    const template = templates.find((t) => t.id === templateSelect.value);
    versions = await getAll(`/prompt-templates/${encodeURIComponent(template.id)}/versions`).catch(() => []);
    const options = [{ value: "", label: `Latest (version ${template.version})` },
      ...versions.slice().reverse().map((v) => ({ value: String(v.version), label: `Version ${v.version}` }))];
    clear(versionSelect).append(...options.map((o) => h("option", { value: o.value }, o.label)));
  }

  /** Runs a change handler, showing a failure in the form's alert slot instead of the console. */
  const guarded = (fn) => async () => {
    try {
      clearProblems(form, slot);
      await fn();
    } catch (error) {
      showProblem(slot, error, controlFor);
    }
  };

  templateSelect.addEventListener("change", guarded(async () => {
    history.replaceState(null, "", `${location.pathname}?template=${encodeURIComponent(templateSelect.value)}`);
    await loadVersions();
    await rebuildVariables();
    runPreview.now();
  }));
  versionSelect.addEventListener("change", guarded(async () => {
    await rebuildVariables();
    runPreview.now();
  }));
  modelSelect.addEventListener("change", () => runPreview.now());
  variables.addEventListener("input", () => runPreview());
  variables.addEventListener("change", () => runPreview());

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    runPreview.cancel();
    clearProblems(form, slot);
    generateButton.disabled = true;
    try {
      const result = await post("/prompts/generate", body());
      showGenerated(result);
    } catch (error) {
      showProblem(slot, error, controlFor);
    } finally {
      generateButton.disabled = false;
    }
  });

  function showGenerated(result) {
    const template = templates.find((t) => t.id === templateSelect.value);
    const copyStatus = h("span", { class: "copy-status", role: "status" });
    const copy = h("button", { type: "button", class: "secondary" }, "Copy to clipboard");
    copy.addEventListener("click", async () => {
      copyStatus.textContent = (await copyText(result.promptText)) ? "Copied." : "Copying failed: select the text and copy it.";
    });
    const heading = h("h2", { id: "generated-heading", tabindex: "-1" }, "Generated prompt");
    clear(generated).append(
      heading,
      h("p", { role: "status" }, `Version ${result.version} of this prompt, ${formatNumber(result.tokens)} tokens (${result.encoding}), from template version ${result.templateVersion}.`),
      h("div", { class: "actions" }, copy,
        downloadLink(result.promptText, fileName(issue.extKey, template?.name, `v${result.version}`), "Download .md"),
        h("a", { href: `/app/prompts/${encodeURIComponent(result.promptId)}`, class: "button secondary" }, "Open the prompt"),
        copyStatus),
      h("pre", { class: "prompt-text", tabindex: "0", "aria-label": "Generated prompt text" }, result.promptText),
    );
    generated.hidden = false;
    heading.focus();
  }

  await loadVersions();
  await rebuildVariables();
  ctx.afterMount = () => runPreview.now();
}
