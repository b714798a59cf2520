// The statistics dashboard: today's figures from GET /stats/summary and charts from
// GET /stats/timeseries (per day, per IDE, per template) over 7 or 30 days, in the browser's
// time zone. The range is in the URL (?range=30) so a view can be shared.
import { get } from "../lib/api.js";
import { barChart, columnChart } from "../lib/charts.js";
import { clear, h, table } from "../lib/dom.js";
import { formatNumber, isoDateIn, timeZone } from "../lib/format.js";
import { showProblem } from "../lib/problem.js";

const DAY = 24 * 60 * 60 * 1000;

function figure(label, value) {
  // One <dl> per figure: older axe versions refuse <div> groups inside a <dl>.
  return h("dl", { class: "figure" }, h("dt", {}, label), h("dd", {}, value));
}

function dataTable(caption, headings, rows) {
  return h("details", { class: "chart-data" }, h("summary", {}, `${caption} as a table`), table(caption, headings, rows));
}

export async function render(view, { query }) {
  const tz = timeZone();
  let days = query.get("range") === "30" ? 30 : 7;
  const summary = await get("/stats/summary", { tz });
  const charts = h("div", { class: "charts" });
  const rangeButtons = [7, 30].map((n) => {
    const button = h("button", { type: "button", class: "secondary", "aria-pressed": String(n === days) }, `${n} days`);
    button.addEventListener("click", async () => {
      days = n;
      for (const b of rangeButtons) b.setAttribute("aria-pressed", String(b === button));
      history.replaceState(null, "", `/app/stats${n === 30 ? "?range=30" : ""}`);
      try {
        await drawCharts();
      } catch (error) {
        showProblem(clear(charts).appendChild(h("div")), error);
      }
    });
    return button;
  });

  async function drawCharts() {
    const now = new Date();
    // `to` is left to its default, the end of today in `tz`: a day given as `to` would mean its
    // midnight for the per-IDE and per-template series, leaving today out.
    const range = { tz, from: isoDateIn(new Date(now.getTime() - (days - 1) * DAY), tz) };
    const [byDay, byIde, byTemplate] = await Promise.all(["day", "ide", "template"].map((groupBy) => get("/stats/timeseries", { ...range, groupBy })));
    // `label` is what a person reads (the key of the no-IDE bucket is null).
    const label = (b) => b.label ?? b.key ?? "(none)";
    const dayData = (key) => byDay.buckets.map((b) => ({ label: label(b), value: b[key] }));
    const category = (series, key) => series.buckets.slice(0, 10).map((b) => ({ label: label(b), value: b[key] }));
    const period = `last ${days} days`;
    clear(charts).append(
      h("section", { "aria-labelledby": "per-day-heading" },
        h("h2", { id: "per-day-heading" }, `Prompts and tokens per day (${period})`),
        columnChart({ title: `Prompts per day, ${period}`, data: dayData("prompts"), xLabel: "Day", yLabel: "Prompts" }),
        columnChart({ title: `Tokens per day, ${period}`, data: dayData("tokens"), xLabel: "Day", yLabel: "Tokens" }),
        dataTable("Prompts and tokens per day", ["Day", "Prompts", "Tokens"], byDay.buckets.map((b) => [label(b), formatNumber(b.prompts), formatNumber(b.tokens)]))),
      h("section", { "aria-labelledby": "by-ide-heading" },
        h("h2", { id: "by-ide-heading" }, `By IDE (${period})`),
        barChart({ title: `Prompts by IDE, ${period}`, data: category(byIde, "prompts"), valueLabel: "Prompts", categoryLabel: "IDE" }),
        dataTable("Prompts and tokens by IDE", ["IDE", "Prompts", "Tokens"], byIde.buckets.map((b) => [label(b), formatNumber(b.prompts), formatNumber(b.tokens)]))),
      h("section", { "aria-labelledby": "top-templates-heading" },
        h("h2", { id: "top-templates-heading" }, `Top templates (${period})`),
        barChart({ title: `Prompts by template, ${period}`, data: category(byTemplate, "prompts"), valueLabel: "Prompts", categoryLabel: "Template" }),
        dataTable("Prompts and tokens by template", ["Template", "Prompts", "Tokens"], byTemplate.buckets.map((b) => [label(b), formatNumber(b.prompts), formatNumber(b.tokens)]))),
    );
  }

  view.append(
    h("h1", {}, "Statistics"),
    h("section", { "aria-labelledby": "today-heading" },
      h("h2", { id: "today-heading" }, `Today (${summary.timeZone})`),
      h("div", { class: "figures" },
        figure("Prompts today", formatNumber(summary.promptsToday)),
        figure("Tokens today", formatNumber(summary.tokensToday)),
        figure("Average tokens per prompt", formatNumber(Math.round(summary.avgTokens))),
        figure("Prompts in the last 7 days", formatNumber(summary.promptsLast7Days)))),
    h("div", { class: "range", role: "group", "aria-label": "Period" }, rangeButtons),
    charts,
  );
  await drawCharts();
}
