// The company's trackers (admin): type, last sync, last error, issue count and a warning when
// the tracker needs its credentials renewed. Archived trackers are not listed (the API leaves
// them out); their issues stay readable.
import { getAll } from "../../lib/api.js";
import { append, h, table } from "../../lib/dom.js";
import { formatNumber, relativeTimeElement } from "../../lib/format.js";
import { TYPE_LABELS, oauthNotice } from "./tracker-labels.js";

export function reauthBadge(tracker) {
  return tracker.needsReauth
    ? h("span", { class: "badge badge-warning" }, "Needs re-authorisation")
    : null;
}

export async function render(view, { query }) {
  const notice = oauthNotice(query);
  const archived = query.get("archived") === "1";
  if (archived) history.replaceState(null, "", "/app/admin/trackers");
  const trackers = (await getAll("/trackers")).filter((t) => !t.archivedAt);
  const rows = trackers.map((t) => ({
    attrs: { dataset: { trackerId: t.id } },
    cells: [
      h("a", { href: `/app/admin/trackers/${encodeURIComponent(t.id)}` }, t.name),
      TYPE_LABELS[t.type] ?? t.type,
      t.lastSyncAt ? relativeTimeElement(t.lastSyncAt) : "Never",
      t.lastError ? h("span", { class: "error-text" }, t.lastError) : "—",
      formatNumber(t.issueCount),
      reauthBadge(t) ?? "OK",
    ],
  }));
  append(view, [
    h("h1", {}, "Trackers"),
    notice,
    archived ? h("p", { class: "notice", role: "status" }, "The tracker was archived. Its issues stay readable.") : null,
    h("p", { class: "actions" }, h("a", { href: "/app/admin/trackers/new", class: "button" }, "New tracker")),
    rows.length
      ? table(null, ["Name", "Type", "Last sync", "Last error", "Issues", "Status"], rows, "Trackers")
      : h("p", { class: "empty" }, "No tracker yet. Connect one with “New tracker”."),
  ]);
}
