// The template list (name, latest version, last change, author). Leads and admins get the
// links to edit, create and see history; developers see the list read-only.
import { getAll } from "../lib/api.js";
import { append, h, table } from "../lib/dom.js";
import { timeElement } from "../lib/format.js";
import { loadPeople, nameOf } from "../lib/people.js";
import { hasRole } from "../lib/session.js";

export async function render(view) {
  const [templates, people] = await Promise.all([getAll("/prompt-templates"), loadPeople()]);
  const canEdit = hasRole("lead");
  // "Author" is whoever wrote the latest version (`updatedBy…`, present once one was made).
  const rows = templates.map((t) => [
    canEdit ? h("a", { href: `/app/templates/${encodeURIComponent(t.id)}` }, t.name) : t.name,
    String(t.version),
    timeElement(t.updatedAt ?? t.createdAt),
    nameOf(people, t.updatedBy ?? t.createdBy, t.updatedByName ?? t.createdByName),
    canEdit ? h("a", { href: `/app/templates/${encodeURIComponent(t.id)}/history`, "aria-label": `History of ${t.name}` }, "History") : "—",
  ]);
  // append() skips the null a developer gets instead of the button (Element.append would write "null").
  append(view, [
    h("h1", {}, "Templates"),
    canEdit ? h("p", { class: "actions" }, h("a", { href: "/app/templates/new", class: "button" }, "New template")) : null,
    rows.length
      ? table(null, ["Name", "Latest version", "Last change", "Author", "History"], rows, "Templates")
      : h("p", { class: "empty" }, "No template yet."),
  ]);
}
