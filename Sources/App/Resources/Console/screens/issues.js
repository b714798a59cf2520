// The issue list: GET /issues with the filters kept in the page's URL (so a filtered list can
// be bookmarked and shared) and cursor paging from the API's Link header.
import { cursorOf, get, request } from "../lib/api.js";
import { field, h, select, table } from "../lib/dom.js";
import { formatTime } from "../lib/format.js";
import { hasRole } from "../lib/session.js";

const STATUSES = [
  { value: "", label: "Any status" },
  { value: "open", label: "Open (not done)" },
  { value: "todo", label: "To do" },
  { value: "in_progress", label: "In progress" },
  { value: "done", label: "Done" },
];

const STATUS_LABELS = { todo: "To do", in_progress: "In progress", done: "Done" };

/** Trackers for the filter: admins may list them; others see the ones on this page. */
async function trackerOptions(issues) {
  let trackers = [];
  if (hasRole("admin")) {
    try {
      trackers = (await get("/trackers", { limit: 200 })).map((t) => ({ value: t.id, label: t.name }));
    } catch {
      trackers = [];
    }
  }
  if (!trackers.length) {
    // GET /trackers is for admins only; an issue may name its tracker (`trackerName`), else a
    // short id has to do.
    const names = new Map(issues.map((i) => [i.trackerId, i.trackerName]));
    trackers = [...names].map(([id, name], n) => ({ value: id, label: name || `Tracker ${n + 1} (${id.slice(0, 8)})` }));
  }
  return [{ value: "", label: "Any tracker" }, ...trackers];
}

export async function render(view, { query, navigate }) {
  const filters = { q: query.get("q") ?? "", status: query.get("status") ?? "", tracker: query.get("tracker") ?? "" };
  const cursor = query.get("cursor");
  const { data: issues, next } = await request("/issues", { query: { ...filters, cursor, limit: 50 } });
  const trackers = await trackerOptions(issues);
  if (filters.tracker && !trackers.some((t) => t.value === filters.tracker)) {
    trackers.push({ value: filters.tracker, label: `Tracker ${filters.tracker.slice(0, 8)}` });
  }

  const search = h("input", { type: "search", id: "q", name: "q", value: filters.q });
  const status = select("status", STATUSES, filters.status);
  const tracker = select("tracker", trackers, filters.tracker);
  const form = h("form", { class: "filters", role: "search", action: "/app/issues", method: "get" },
    field("Search", search, { help: "An issue key or words of the title" }),
    field("Status", status), field("Tracker", tracker),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Filter")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries({ q: search.value.trim(), status: status.value, tracker: tracker.value })) {
      if (value) params.set(key, value);
    }
    navigate(`/app/issues${params.toString() ? `?${params}` : ""}`);
  });

  const rows = issues.map((issue) => [
    h("a", { href: `/app/issues/${encodeURIComponent(issue.id)}` }, h("span", { class: "key" }, issue.extKey), " ", issue.title),
    h("span", { class: `status status-${issue.statusCategory}` }, issue.status || STATUS_LABELS[issue.statusCategory] || ""),
    issue.priority ?? "—",
    issue.assignee?.name ?? issue.assignee?.email ?? "Unassigned",
    formatTime(issue.updatedAt),
  ]);

  const pageLinks = h("nav", { class: "pager", "aria-label": "Pages" });
  const base = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
  if (cursor) pageLinks.append(h("a", { href: `/app/issues${base.toString() ? `?${base}` : ""}` }, "First page"));
  const nextCursor = cursorOf(next);
  if (nextCursor) {
    const params = new URLSearchParams(base);
    params.set("cursor", nextCursor);
    pageLinks.append(h("a", { href: `/app/issues?${params}`, rel: "next" }, "Next page"));
  }

  view.append(
    h("h1", {}, "Issues"),
    form,
    issues.length
      ? table(null, ["Issue", "Status", "Priority", "Assignee", "Updated"], rows, "Issues")
      : h("p", { class: "empty" }, "No issue matches these filters."),
    pageLinks,
  );
}
