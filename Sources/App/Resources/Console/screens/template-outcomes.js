// The outcomes panel of a template's history page: per version, how often its outputs were
// accepted (with the 95 % interval), at what cost in tokens and how soon an output came; and
// the comparison of two versions with its verdict, "not enough data yet" included.
import { get } from "../lib/api.js";
import { clear, field, h, select, table } from "../lib/dom.js";
import { formatNumber, formatTime, timeZone } from "../lib/format.js";
import { problemSlot, showProblem } from "../lib/problem.js";

function percent(x) {
  return x === null ? "—" : `${Math.round(x * 1000) / 10} %`;
}

function rounded(x) {
  return x === null ? "—" : formatNumber(Math.round(x));
}

/** Seconds as a person reads them: 45 s, 3 min 20 s, 2 h 5 min, 3 d 4 h. */
export function duration(seconds) {
  if (seconds === null) return "—";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

function acceptance(v) {
  if (v.acceptanceRate === null) return "—";
  const i = v.acceptanceInterval;
  return `${percent(v.acceptanceRate)} (${percent(i.low)} to ${percent(i.high)})`;
}

const verdicts = {
  b_better: (a, b) => `Version ${b} is accepted more often than version ${a}.`,
  a_better: (a, b) => `Version ${a} is accepted more often than version ${b}.`,
  no_difference: (a, b) => `No difference shown between versions ${a} and ${b}: the interval holds zero.`,
  not_enough_data: () => "Not enough data yet.",
};

export function outcomesSection(id, versions) {
  const slot = problemSlot();
  const box = h("div", { id: "outcomes", "aria-live": "polite" });
  const from = h("input", { id: "outcomes-from", name: "outcomes-from", type: "date" });
  const to = h("input", { id: "outcomes-to", name: "outcomes-to", type: "date" });
  const show = h("button", { type: "submit" }, "Show");
  const numbered = versions.map((v) => ({ value: String(v.version), label: `Version ${v.version}` }));
  const latest = versions[versions.length - 1]?.version ?? 1;
  const a = select("compare-a", numbered, String(Math.max(1, latest - 1)));
  const b = select("compare-b", numbered, String(latest));
  const compare = h("button", { type: "submit" }, "Compare");
  const verdict = h("div", { id: "compare-result", "aria-live": "polite" });

  function range() {
    const query = { tz: timeZone() };
    if (from.value) query.from = from.value;
    if (to.value) query.to = to.value;
    return query;
  }

  const fieldOf = (f) => ({ from: "outcomes-from", to: "outcomes-to", a: "compare-a", b: "compare-b" })[f];

  async function load() {
    clear(slot);
    try {
      const answer = await get(`/stats/templates/${id}`, range());
      const rows = answer.versions.map((v) => ({
        attrs: { dataset: { version: String(v.version) } },
        cells: [`Version ${v.version}`, formatNumber(v.generations), formatNumber(v.outputs), formatNumber(v.reviewed),
          acceptance(v), rounded(v.meanPromptTokens), rounded(v.meanOutputTokens), duration(v.medianSecondsToFirstOutput),
          v.labels.length ? h("ul", { class: "plain" }, v.labels.map((l) => h("li", {},
            h("code", {}, l.label), ` ${formatTime(l.from)} – ${l.to ? formatTime(l.to) : "now"}`))) : "—"],
      }));
      clear(box).append(table(null, ["Version", "Generations", "Outputs", "Reviewed", "Accepted (95 % interval)",
        "Mean prompt tokens", "Mean output tokens", "Median time to first output", "Labels"], rows, "Outcomes per version"));
    } catch (error) {
      showProblem(slot, error, fieldOf);
    }
  }

  function showComparison(c) {
    const diff = c.rateDifference === null ? "no review on one side"
      : `${c.rateDifference > 0 ? "+" : ""}${percent(c.rateDifference)} (${percent(c.differenceInterval.low)} to ${percent(c.differenceInterval.high)})`;
    const tokens = c.tokenDifference.meanPromptTokens === null ? "—"
      : `${c.tokenDifference.meanPromptTokens > 0 ? "+" : ""}${rounded(c.tokenDifference.meanPromptTokens)}`;
    clear(verdict).append(
      h("p", { id: "compare-verdict", dataset: { verdict: c.verdict } }, verdicts[c.verdict](c.a.version, c.b.version)),
      h("p", {}, `Acceptance: version ${c.a.version} ${percent(c.a.acceptanceRate)} of ${c.sampleSizes.a} reviewed, `
        + `version ${c.b.version} ${percent(c.b.acceptanceRate)} of ${c.sampleSizes.b}; difference ${diff}. `
        + `Prompt tokens ${tokens}. A verdict needs ${c.minimumSample} reviewed outputs on each side.`));
  }

  function setLabels(labels) {
    for (const target of [a, b]) {
      for (const option of [...target.options]) if (option.dataset.label) option.remove();
      for (const l of labels) {
        target.append(h("option", { value: l.label, dataset: { label: l.label } }, `${l.label} (version ${l.version})`));
      }
    }
  }

  const rangeForm = h("form", { class: "field-row", "aria-label": "Outcomes range" },
    field("From", from), field("To", to, { help: "Days in your time zone; empty for all time" }),
    h("div", { class: "field field-button" }, show));
  rangeForm.addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
  const compareForm = h("form", { class: "field-row", "aria-label": "Compare two versions' outcomes" },
    field("A", a), field("B", b), h("div", { class: "field field-button" }, compare));
  compareForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    clear(slot);
    compare.disabled = true;
    try {
      showComparison(await get(`/stats/templates/${id}/compare`, { ...range(), a: a.value, b: b.value }));
    } catch (error) {
      showProblem(slot, error, fieldOf);
    } finally {
      compare.disabled = false;
    }
  });
  const section = h("section", { "aria-labelledby": "outcomes-heading" },
    h("h2", { id: "outcomes-heading" }, "Outcomes"),
    h("p", { class: "help" }, "Reviews of the outputs of the prompts each version generated. The interval is where the true acceptance rate lies with 95 % confidence."),
    rangeForm, box, h("h3", {}, "Compare two versions"), compareForm, verdict, slot);
  return { section, load, setLabels };
}
