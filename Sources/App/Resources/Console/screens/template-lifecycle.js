// The lifecycle panels of a template's history page: its labels (move, remove, roll back) and
// the regression check of a candidate version against a baseline on recent real issues.
import { get, post, request } from "../lib/api.js";
import { clear, field, h, select, table } from "../lib/dom.js";
import { timeElement } from "../lib/format.js";
import { nameOf } from "../lib/people.js";
import { problemSlot, showProblem } from "../lib/problem.js";

function signed(n) {
  return n > 0 ? `+${n}` : String(n);
}

/** Labels: a table of what each names, and a form to point one at a version. */
export function labelsSection(id, versions, people, onChange) {
  const slot = problemSlot();
  const box = h("div", { id: "labels" });
  const name = h("input", { id: "label-name", name: "label-name", value: "production", autocomplete: "off", pattern: "[a-z][a-z0-9\\-]{0,31}" });
  const latest = versions[versions.length - 1]?.version ?? 1;
  const version = select("label-version", versions.map((v) => ({ value: String(v.version), label: `Version ${v.version}` })), String(latest));
  const move = h("button", { type: "submit" }, "Move label");

  async function load() {
    const labels = await get(`/prompt-templates/${id}/labels`);
    const rows = labels.map((l) => ({
      attrs: { dataset: { label: l.label } },
      cells: [h("code", {}, l.label), `Version ${l.version}`, nameOf(people, l.movedBy, l.movedByName), timeElement(l.movedAt),
        h("button", { type: "button", class: "secondary", "aria-label": `Remove ${l.label}`, on: { click: () => remove(l.label) } }, "Remove")],
    }));
    clear(box).append(rows.length
      ? table(null, ["Label", "Version", "Moved by", "Time", ""], rows, "Labels")
      : h("p", {}, "No label yet: generation uses the latest version."));
    onChange?.(labels);
    return labels;
  }

  async function remove(label) {
    clear(slot);
    try {
      await request(`/prompt-templates/${id}/labels/${encodeURIComponent(label)}`, { method: "DELETE" });
      await load();
    } catch (error) {
      showProblem(slot, error);
    }
  }

  const form = h("form", { class: "field-row", "aria-label": "Move a label" },
    field("Label", name, { help: "production, staging or your own name; generation uses production by default" }),
    field("Version", version), h("div", { class: "field field-button" }, move));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clear(slot);
    try {
      await request(`/prompt-templates/${id}/labels/${encodeURIComponent(name.value.trim())}`,
        { method: "PUT", body: { version: Number(version.value) } });
      await load();
    } catch (error) {
      showProblem(slot, error, (f) => ({ label: "label-name", version: "label-version" })[f]);
    }
  });
  const section = h("section", { "aria-labelledby": "labels-heading" },
    h("h2", { id: "labels-heading" }, "Labels"), box, form, slot);
  return { section, load };
}

/** The check: render a candidate and a baseline for recent issues and compare the counts. */
export function checkSection(id, versions) {
  const slot = problemSlot();
  const result = h("div", { id: "check-result", "aria-live": "polite" });
  const numbered = versions.map((v) => ({ value: String(v.version), label: `Version ${v.version}` }));
  const latest = versions[versions.length - 1]?.version ?? 1;
  const candidate = select("check-candidate", numbered, String(latest));
  const baseline = select("check-baseline",
    [{ value: "", label: "production, else the version before" }, ...numbered], "");
  const sample = h("input", { id: "check-sample", name: "check-sample", type: "number", min: "1", max: "100", value: "20" });
  const run = h("button", { type: "submit" }, "Run check");

  function setLabels(labels) {
    for (const target of [candidate, baseline]) {
      for (const option of [...target.options]) if (option.dataset.label) option.remove();
      for (const l of labels) {
        target.append(h("option", { value: l.label, dataset: { label: l.label } }, `${l.label} (version ${l.version})`));
      }
    }
  }

  function show(answer) {
    const s = answer.summary;
    const summary = s.checked === 0
      ? "No issue was generated with the baseline yet: nothing to compare."
      : `Version ${answer.candidate} against version ${answer.baseline} on ${s.checked} issue(s): `
        + `${s.failures} failure(s)`
        + (s.meanTokenDelta === null ? "" : `, ${signed(Math.round(s.meanTokenDelta * 10) / 10)} tokens on average, largest change ${signed(s.maxTokenDelta)}`)
        + ".";
    const rows = answer.issues.map((i) => ({
      attrs: { dataset: { issue: i.extKey } },
      cells: [i.extKey, i.baselineTokens ?? "—", i.candidateTokens ?? "—", i.tokenDelta === null ? "—" : signed(i.tokenDelta),
        i.errors.length ? h("ul", {}, i.errors.map((e) => h("li", {}, `${e.side}: ${e.field ? `${e.field}: ` : ""}${e.reason}`))) : "none"],
    }));
    clear(result).append(h("p", { id: "check-summary" }, summary),
      rows.length ? table(null, ["Issue", "Baseline tokens", "Candidate tokens", "Change", "Errors"], rows, "Check results") : null);
  }

  const form = h("form", { class: "field-row", "aria-label": "Check a version" },
    field("Candidate", candidate), field("Baseline", baseline), field("Issues", sample),
    h("div", { class: "field field-button" }, run));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clear(slot);
    const body = { candidate: /^\d+$/.test(candidate.value) ? Number(candidate.value) : candidate.value, sample: Number(sample.value) };
    if (baseline.value) body.baseline = /^\d+$/.test(baseline.value) ? Number(baseline.value) : baseline.value;
    run.disabled = true;
    try {
      show(await post(`/prompt-templates/${id}/check`, body));
    } catch (error) {
      showProblem(slot, error, (f) => ({ candidate: "check-candidate", baseline: "check-baseline", sample: "check-sample" })[f]);
    } finally {
      run.disabled = false;
    }
  });
  const section = h("section", { "aria-labelledby": "check-heading" },
    h("h2", { id: "check-heading" }, "Check against real issues"),
    h("p", { class: "help" }, "Renders both versions for the issues most recently generated with the baseline, with the variables they used. Nothing is stored."),
    form, slot, result);
  return { section, setLabels };
}
