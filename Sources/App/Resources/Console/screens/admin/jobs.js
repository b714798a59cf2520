// The jobs dashboard (admin): counts by state and kind and the jobs finished and failed per hour
// over the last 24 hours (GET /stats/jobs), and the job list (GET /jobs, filters in the URL, "Load
// more") with Retry and Cancel. Both refresh every 5 seconds while the page is visible; the list
// holds still while the user works in it (focus inside, a refusal shown, more pages loaded).
import { ApiError, get, post, request } from "../../lib/api.js";
import { columnChart } from "../../lib/charts.js";
import { append, clear, field, h, select, table } from "../../lib/dom.js";
import { formatNumber, formatTime, timeElement, timeZone } from "../../lib/format.js";
import { problemSlot, showProblem } from "../../lib/problem.js";

const STATES = ["available", "running", "retryable", "succeeded", "dead", "cancelled"];
const STATE_LABELS = { available: "Available", running: "Running", retryable: "Retryable", succeeded: "Succeeded", dead: "Dead", cancelled: "Cancelled" };
// Jobs still to run are counted whatever their age; the others only within the window.
const FIGURE_LABELS = { ...STATE_LABELS, succeeded: "Succeeded (24 h)", dead: "Dead (24 h)", cancelled: "Cancelled (24 h)" };
const KNOWN_KINDS = ["sync-jira-issues", "sync-teamwork-issues", "process-webhook", "deliver-webhook", "cleanup-old-outputs", "cleanup-audit-events"];
const REFRESH_MS = 5000;

const shortId = (id) => String(id).slice(0, 8);
const jobName = (job) => `${job.kind} ${shortId(job.id)}`;

function stateBadge(state) {
  return h("span", { class: `badge state-${state}` }, STATE_LABELS[state] ?? state);
}

/** When a job ran or will run, by state: lease for running jobs, next retry for retryable ones. */
function timing(job) {
  const line = (label, iso) => (iso ? h("span", { class: "line" }, `${label} `, timeElement(iso)) : null);
  switch (job.state) {
    case "available": return [line("Runs", job.runAt)];
    case "running": return [line("Started", job.startedAt), line("Lease until", job.leaseExpiresAt)];
    case "retryable": return [line("Failed", job.failedAt), line("Next retry", job.runAt)];
    case "dead": return [line("Failed", job.failedAt ?? job.finishedAt)];
    default: return [line("Finished", job.finishedAt)];
  }
}

function chartData(stats, key, hourLabel) {
  return stats.hourly.map((bucket) => ({ label: hourLabel(bucket.start), value: bucket[key] }));
}

export async function render(view, ctx) {
  const tz = timeZone();
  const filters = { state: ctx.query.get("state") ?? "", kind: ctx.query.get("kind") ?? "" };
  const selectedId = ctx.query.get("job");
  const settle = (promise) => promise.then((data) => ({ data }), (error) => ({ error }));
  const [statsAnswer, first, selected] = await Promise.all([
    settle(get("/stats/jobs", { tz })),
    request("/jobs", { query: { ...filters, limit: 50 } }),
    selectedId ? settle(get(`/jobs/${encodeURIComponent(selectedId)}`)) : null,
  ]);
  const hourLabel = (iso) => new Intl.DateTimeFormat(undefined, { timeZone: tz, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(iso));

  // ------------------------------------------------------------------ overview (auto-refreshed)
  const overview = h("div", { id: "jobs-overview" });
  const charts = h("div", { id: "jobs-charts" });
  const statsSlot = problemSlot();
  const updated = h("p", { class: "meta", id: "jobs-updated" });
  let paused = false;
  const pause = h("button", { type: "button", class: "secondary", "aria-pressed": "false" }, "Pause updates");

  function drawStats(stats) {
    const totals = Object.fromEntries(STATES.map((s) => [s, 0]));
    const byKind = new Map();
    for (const { state, kind, count } of stats.counts ?? []) {
      totals[state] = (totals[state] ?? 0) + count;
      if (!byKind.has(kind)) byKind.set(kind, {});
      byKind.get(kind)[state] = count;
    }
    clear(overview).append(
      h("div", { class: "figures" }, STATES.map((s) => h("dl", { class: "figure", dataset: { state: s } },
        h("dt", {}, FIGURE_LABELS[s]), h("dd", {}, formatNumber(totals[s]))))),
      byKind.size
        ? table("Jobs by kind and state", ["Kind", ...STATES.map((s) => STATE_LABELS[s])],
          [...byKind].sort(([a], [b]) => a.localeCompare(b)).map(([kind, counts]) => [h("code", {}, kind), ...STATES.map((s) => formatNumber(counts[s] ?? 0))]))
        : h("p", { class: "empty" }, "No job to run and none finished in the last 24 hours."));
    // Keep the "as a table" disclosure open across refreshes if the user opened it.
    const open = charts.querySelector("details")?.open ?? false;
    const hours = stats.hourly ?? [];
    clear(charts).append(
      columnChart({ title: "Jobs finished per hour, last 24 hours", data: chartData(stats, "finished", hourLabel), xLabel: "Hour", yLabel: "Jobs finished" }),
      columnChart({ title: "Jobs failed per hour, last 24 hours", data: chartData(stats, "failed", hourLabel), xLabel: "Hour", yLabel: "Jobs failed" }),
      h("details", { class: "chart-data", open },
        h("summary", {}, "Jobs finished and failed per hour as a table"),
        table("Jobs finished and failed per hour", ["Hour starting", "Finished", "Failed"],
          hours.map((b) => [formatTime(b.start), formatNumber(b.finished), formatNumber(b.failed)]))));
    updated.textContent = `Updated ${new Intl.DateTimeFormat(undefined, { timeStyle: "medium" }).format(new Date())} (${tz}); refreshed every 5 seconds.`;
  }

  let timer = null;
  let stopped = false; // the statistics were refused (a 4xx): asking again would only repeat it
  async function refreshStats() {
    try {
      const stats = await get("/stats/jobs", { tz });
      if (!ctx.isCurrent()) return;
      clear(statsSlot);
      drawStats(stats);
    } catch (error) {
      if (!ctx.isCurrent()) return;
      showProblem(statsSlot, error);
      if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 429) stopped = true;
    }
  }
  // One pending timer at most; none while the tab is hidden, paused or left.
  function schedule(delay = REFRESH_MS) {
    clearTimeout(timer);
    timer = null;
    if (!ctx.isCurrent() || paused || document.hidden) return;
    timer = setTimeout(async () => {
      await Promise.all([stopped ? null : refreshStats(), refreshList()]);
      schedule();
    }, delay);
  }
  const onVisibility = () => (document.hidden ? clearTimeout(timer) : schedule(0));
  document.addEventListener("visibilitychange", onVisibility);
  ctx.onLeave(() => {
    clearTimeout(timer);
    document.removeEventListener("visibilitychange", onVisibility);
  });
  pause.addEventListener("click", () => {
    paused = !paused;
    pause.setAttribute("aria-pressed", String(paused));
    pause.textContent = paused ? "Resume updates" : "Pause updates";
    schedule(paused ? REFRESH_MS : 0);
  });

  if (statsAnswer.error) {
    showProblem(statsSlot, statsAnswer.error);
    if (statsAnswer.error instanceof ApiError && statsAnswer.error.status < 500) stopped = true;
  } else drawStats(statsAnswer.data);

  // ------------------------------------------------------------------ actions
  const status = h("p", { id: "job-action-status", role: "status", class: "save-status" });

  /** Retry and Cancel for one job, as its state allows; `replace(job)` redraws it after. */
  function actions(job, replace) {
    const slot = h("div", { class: "inline-problem" });
    const act = async (verb, done) => {
      clear(slot);
      status.textContent = "";
      try {
        const updatedJob = await post(`/jobs/${encodeURIComponent(job.id)}/${verb}`);
        status.textContent = done(updatedJob);
        replace(updatedJob);
        if (!stopped) refreshStats();
      } catch (error) {
        showProblem(slot, error);
        status.textContent = `Job ${jobName(job)} was not changed: ${error.problem?.detail ?? error.message}`;
      }
    };
    const button = (verb, label, done) => {
      const b = h("button", { type: "button", class: "secondary small" }, label, h("span", { class: "visually-hidden" }, ` job ${jobName(job)}`));
      b.addEventListener("click", () => act(verb, done));
      return b;
    };
    const buttons = [];
    if (job.state === "dead" || job.state === "retryable") {
      buttons.push(button("retry", "Retry", (j) => `Job ${jobName(j)} will run again now (state: ${STATE_LABELS[j.state] ?? j.state}).`));
    }
    if (job.state === "available" || job.state === "retryable" || job.state === "running") {
      buttons.push(button("cancel", "Cancel", (j) => `Job ${jobName(j)} is cancelled.`));
    }
    return buttons.length ? h("div", { class: "row-actions" }, buttons, slot) : "—";
  }

  // ------------------------------------------------------------------ the selected job (?job=)
  let selectedSection = null;
  if (selected) {
    const card = h("div", {});
    const drawCard = (job) => {
      const rows = [
        ["Kind", h("code", {}, job.kind)], ["State", stateBadge(job.state)], ["Attempts", `${job.attempt} of ${job.maxAttempts}`],
        ["Created", timeElement(job.createdAt)], ["Runs at", timeElement(job.runAt)], ["Started", timeElement(job.startedAt)],
        ["Lease until", timeElement(job.leaseExpiresAt)], ["Failed", timeElement(job.failedAt)], ["Finished", timeElement(job.finishedAt)],
        ["Last error", job.lastError ?? "—"], ["Payload", h("code", { class: "secret" }, job.payload)],
      ];
      clear(card).append(h("dl", { class: "facts" }, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])), actions(job, drawCard));
    };
    if (selected.error) showProblem(card, selected.error.status === 404 ? { problem: { detail: "There is no such job (it may have been cleaned up, or it belongs to another company)." } } : selected.error);
    else drawCard(selected.data);
    selectedSection = h("section", { "aria-labelledby": "selected-job-heading", class: "card", id: "selected-job" },
      h("h2", { id: "selected-job-heading" }, selected.data ? `Job ${jobName(selected.data)}` : "Job"), card);
  }

  // ------------------------------------------------------------------ the list
  const kinds = new Set([...KNOWN_KINDS, ...(statsAnswer.data?.counts ?? []).map((c) => c.kind)]);
  if (filters.kind) kinds.add(filters.kind);
  const stateSelect = select("job-state", [{ value: "", label: "Any state" }, ...STATES.map((s) => ({ value: s, label: STATE_LABELS[s] }))], filters.state);
  const kindSelect = select("job-kind", [{ value: "", label: "Any kind" }, ...[...kinds].sort().map((k) => ({ value: k, label: k }))], filters.kind);
  const filterForm = h("form", { class: "filters", role: "search", "aria-label": "Filter jobs" },
    field("State", stateSelect), field("Kind", kindSelect),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Filter")));
  filterForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    if (stateSelect.value) params.set("state", stateSelect.value);
    if (kindSelect.value) params.set("kind", kindSelect.value);
    ctx.navigate(`/app/admin/jobs${params.toString() ? `?${params}` : ""}`);
  });

  function row(job) {
    const tr = h("tr", { id: `job-${job.id}`, dataset: { jobId: job.id, state: job.state } });
    const replace = (updatedJob) => {
      const fresh = row(updatedJob);
      tr.replaceWith(fresh);
      // The pressed button is gone: keep keyboard users in the same row.
      const target = fresh.querySelector("button") ?? fresh;
      if (target === fresh) fresh.tabIndex = -1;
      target.focus();
    };
    const cells = [
      [h("code", {}, job.kind), h("span", { class: "line meta" }, shortId(job.id), " · created ", timeElement(job.createdAt))],
      stateBadge(job.state),
      `${job.attempt} of ${job.maxAttempts}`,
      timing(job),
      job.lastError ? h("span", { class: "error-text" }, job.lastError) : "—",
      actions(job, replace),
    ];
    tr.append(...cells.map((c) => h("td", {}, c)));
    return tr;
  }

  const listBox = h("div", {});
  const more = h("button", { type: "button", class: "secondary" }, "Load more");
  const listSlot = problemSlot();
  let next = first.next;
  let pagesLoaded = 1;
  async function refreshList() {
    const busy = listBox.contains(document.activeElement) || listBox.querySelector(".inline-problem .problem");
    if (pagesLoaded > 1 || busy) return;
    try {
      const page = await request("/jobs", { query: { ...filters, limit: 50 } });
      if (!ctx.isCurrent() || pagesLoaded > 1 || listBox.contains(document.activeElement)) return;
      next = page.next;
      drawList(page.data);
    } catch {
      // the next refresh tries again; a lasting problem shows in the overview's alert
    }
  }
  function drawList(jobs) {
    const wrap = table(null, ["Job", "State", "Attempts", "When", "Last error", "Actions"], [], "Jobs");
    wrap.querySelector("tbody").append(...jobs.map(row));
    clear(listBox).append(jobs.length ? wrap : h("p", { class: "empty" }, "No job matches these filters."));
    more.hidden = !next;
  }
  more.addEventListener("click", async () => {
    more.disabled = true;
    try {
      const page = await request(next);
      next = page.next;
      pagesLoaded += 1;
      listBox.querySelector("tbody")?.append(...page.data.map(row));
      more.hidden = !next;
      status.textContent = `${page.data.length} more job${page.data.length === 1 ? "" : "s"} loaded.`;
    } catch (error) {
      showProblem(listSlot, error);
    } finally {
      more.disabled = false;
    }
  });
  drawList(first.data);

  append(view, [
    h("h1", {}, "Jobs"),
    selectedSection,
    h("section", { "aria-labelledby": "overview-heading" },
      h("h2", { id: "overview-heading" }, "Queue and last 24 hours"),
      h("div", { class: "actions" }, updated, pause), statsSlot, overview),
    h("section", { "aria-labelledby": "hourly-heading" },
      h("h2", { id: "hourly-heading" }, "Finished and failed per hour"), charts),
    h("section", { "aria-labelledby": "list-heading" },
      h("h2", { id: "list-heading" }, "Job list"), filterForm, status, listSlot, listBox, h("div", { class: "actions" }, more)),
  ]);
  ctx.afterMount = () => schedule();
}
