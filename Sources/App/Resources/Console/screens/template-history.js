// A template's versions (author, time) and the diff between any two of them, body and schema,
// from GET /prompt-templates/{id}/diff; unified or side by side; then its labels and the
// regression check (template-lifecycle.js).
import { get, getAll } from "../lib/api.js";
import { sideBySideView, unifiedView } from "../lib/diff.js";
import { clear, field, h, select, table } from "../lib/dom.js";
import { timeElement } from "../lib/format.js";
import { loadPeople, nameOf } from "../lib/people.js";
import { problemSlot, showProblem } from "../lib/problem.js";
import { checkSection, labelsSection } from "./template-lifecycle.js";
import { outcomesSection } from "./template-outcomes.js";

function describeValue(value) {
  return value === undefined ? "—" : JSON.stringify(value);
}

function schemaChanges(schema) {
  const items = [];
  for (const c of schema?.changes ?? []) {
    const what = c.kind === "added" ? `added ${describeValue(c.after)}`
      : c.kind === "removed" ? `removed (was ${describeValue(c.before)})`
        : `changed from ${describeValue(c.before)} to ${describeValue(c.after)}`;
    items.push(h("li", { dataset: { kind: c.kind } }, h("code", {}, c.pointer || "/"), ` ${what}`));
  }
  const parts = [];
  parts.push(items.length ? h("ul", {}, items) : h("p", {}, "The variables schema did not change."));
  if (schema?.newlyRequired?.length) parts.push(h("p", {}, "Newly required variables: ", schema.newlyRequired.join(", ")));
  if (schema?.removedVariables?.length) parts.push(h("p", {}, "Removed variables: ", schema.removedVariables.join(", ")));
  return parts;
}

export async function render(view, { params }) {
  const id = encodeURIComponent(params.id);
  const [template, versions, people] = await Promise.all([
    get(`/prompt-templates/${id}`), getAll(`/prompt-templates/${id}/versions`), loadPeople(),
  ]);
  const options = versions.map((v) => ({ value: String(v.version), label: `Version ${v.version}` }));
  const latest = versions[versions.length - 1]?.version ?? 1;
  const from = select("diff-from", options, String(Math.max(1, latest - 1)));
  const to = select("diff-to", options, String(latest));
  let mode = "unified";
  let lastDiff = null;
  const toggle = h("button", { type: "button", class: "secondary" }, "Side by side");
  const diffBox = h("div", { id: "diff" });
  const schemaBox = h("div", { id: "schema-changes" });
  const slot = problemSlot();

  function draw() {
    if (!lastDiff) return;
    const caption = `Body, version ${lastDiff.from} to version ${lastDiff.to}`;
    const hunks = lastDiff.body?.hunks ?? [];
    clear(diffBox).dataset.mode = mode;
    diffBox.append(hunks.length
      ? (mode === "unified" ? unifiedView(hunks, caption) : sideBySideView(hunks, caption))
      : h("p", {}, "The bodies are identical."));
    toggle.textContent = mode === "unified" ? "Side by side" : "Unified";
  }

  async function loadDiff() {
    clear(slot);
    try {
      lastDiff = await get(`/prompt-templates/${id}/diff`, { from: from.value, to: to.value });
      draw();
      clear(schemaBox).append(...schemaChanges(lastDiff.schema));
    } catch (error) {
      showProblem(slot, error, (f) => ({ from: "diff-from", to: "diff-to" })[f]);
    }
  }

  toggle.addEventListener("click", () => {
    mode = mode === "unified" ? "side-by-side" : "unified";
    draw();
  });
  from.addEventListener("change", loadDiff);
  to.addEventListener("change", loadDiff);

  const rows = versions.slice().reverse().map((v) => [
    `Version ${v.version}`, nameOf(people, v.createdBy, v.createdByName), timeElement(v.createdAt), h("code", {}, v.contentHash.slice(0, 12)),
  ]);
  const check = checkSection(id, versions);
  const outcomes = outcomesSection(id, versions);
  // Labels can be compared too: "production" against "latest" shows what a promotion brings.
  function setDiffLabels(list) {
    for (const target of [from, to]) {
      for (const option of [...target.options]) if (option.dataset.label) option.remove();
      for (const l of [...list, { label: "latest", version: latest }]) {
        target.append(h("option", { value: l.label, dataset: { label: l.label } }, `${l.label} (version ${l.version})`));
      }
    }
  }
  const labels = labelsSection(id, versions, people, (list) => {
    check.setLabels(list);
    outcomes.setLabels(list);
    setDiffLabels(list);
  });
  view.append(
    h("p", { class: "breadcrumb" }, h("a", { href: "/app/templates" }, "Templates"), " › ",
      h("a", { href: `/app/templates/${id}` }, template.name)),
    h("h1", {}, `History of ${template.name}`),
    h("section", { "aria-labelledby": "versions-heading" }, h("h2", { id: "versions-heading" }, "Versions"),
      table(null, ["Version", "Author", "Time", "Content hash"], rows, "Versions")),
    h("section", { "aria-labelledby": "diff-heading" }, h("h2", { id: "diff-heading" }, "Compare versions"),
      h("div", { class: "field-row" }, field("From", from), field("To", to), h("div", { class: "field field-button" }, toggle)),
      slot,
      h("h3", {}, "Body"), diffBox,
      h("h3", {}, "Variables schema"), schemaBox),
    labels.section,
    check.section,
    outcomes.section,
  );
  await labels.load();
  await outcomes.load();
  if (versions.length) await loadDiff();
}
