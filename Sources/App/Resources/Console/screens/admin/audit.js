// The audit trail (admin): GET /audit-events with its filters (action, entity, entityId,
// actorId, from, to) as a form whose values live in the page's URL under the API's own names,
// cursor paging like the issue list, each entity linked to its console page where it has one.
import { cursorOf, request } from "../../lib/api.js";
import { field, h, select, table } from "../../lib/dom.js";
import { timeElement } from "../../lib/format.js";
import { loadPeople, nameOf } from "../../lib/people.js";
import { clearProblems, placeFieldError, problemSlot, showProblem } from "../../lib/problem.js";

const ENTITIES = ["user", "tracker", "template", "prompt", "output", "job", "token"];
const FILTERS = ["action", "entity", "entityId", "actorId", "from", "to"];
const CONTROLS = { action: "audit-action", entity: "audit-entity", entityId: "audit-entity-id", actorId: "audit-actor", from: "audit-from", to: "audit-to" };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An ISO instant → the value of a datetime-local input (the browser's local time). */
function toLocalInput(iso) {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return "";
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Where an event's entity lives in the console, or null (outputs have no page of their own). */
function entityHref(entity, id) {
  const e = encodeURIComponent(id);
  switch (entity) {
    case "tracker": return `/app/admin/trackers/${e}`;
    case "template": return `/app/templates/${e}`;
    case "prompt": return `/app/prompts/${e}`;
    case "user": return `/app/admin/users#user-${e}`;
    case "job": return `/app/admin/jobs?job=${e}`;
    case "token": return `/app/tokens#token-${e}`;
    default: return null;
  }
}

function entityCell(event, people) {
  if (!event.entity) return "—";
  if (!event.entityId) return event.entity;
  const label = event.entity === "user" ? `user ${nameOf(people, event.entityId)}` : `${event.entity} ${event.entityId.slice(0, 8)}`;
  const href = entityHref(event.entity, event.entityId);
  return href ? h("a", { href, title: event.entityId }, label) : h("span", { title: event.entityId }, label);
}

function detailsCell(event) {
  const parts = [];
  if (event.changedFields?.length) parts.push(h("span", { class: "line" }, "Changed: ", event.changedFields.join(", ")));
  for (const [key, value] of Object.entries(event.details ?? {})) parts.push(h("span", { class: "line" }, `${key}: ${value}`));
  if (event.attemptedEmail) parts.push(h("span", { class: "line" }, `Attempted e-mail: ${event.attemptedEmail}`));
  if (event.ip) parts.push(h("span", { class: "line meta" }, `IP ${event.ip}`));
  return parts.length ? parts : "—";
}

export async function render(view, ctx) {
  const { query, navigate } = ctx;
  const filters = Object.fromEntries(FILTERS.map((k) => [k, query.get(k) ?? ""]));
  const cursor = query.get("cursor");
  const [page, people] = await Promise.all([
    request("/audit-events", { query: { ...filters, cursor, limit: 50 } }).catch((error) => ({ error })),
    loadPeople(),
  ]);

  const action = h("input", { type: "text", id: CONTROLS.action, value: filters.action, autocomplete: "off", spellcheck: "false" });
  const entity = select(CONTROLS.entity, [{ value: "", label: "Any entity" }, ...ENTITIES.map((e) => ({ value: e, label: e }))], filters.entity);
  const entityId = h("input", { type: "text", id: CONTROLS.entityId, value: filters.entityId, autocomplete: "off", spellcheck: "false" });
  const actors = [...people].map(([id, name]) => ({ value: id, label: name })).sort((a, b) => a.label.localeCompare(b.label));
  if (filters.actorId && !people.has(filters.actorId)) actors.push({ value: filters.actorId, label: `User ${filters.actorId.slice(0, 8)}` });
  const actor = select(CONTROLS.actorId, [{ value: "", label: "Anyone" }, ...actors], filters.actorId);
  const from = h("input", { type: "datetime-local", id: CONTROLS.from, value: toLocalInput(filters.from) });
  const to = h("input", { type: "datetime-local", id: CONTROLS.to, value: toLocalInput(filters.to) });
  const slot = problemSlot();
  const form = h("form", { class: "filters", role: "search", "aria-label": "Filter the audit trail", novalidate: true },
    field("Action", action, { help: "e.g. tracker.updated, auth.login.failed" }),
    field("Entity", entity), field("Entity id", entityId), field("Actor", actor),
    field("From", from, { help: "Local time" }), field("To", to, { help: "Local time, not included" }),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Filter"), h("a", { href: "/app/admin/audit" }, "Clear filters")));

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearProblems(form, slot);
    if (entityId.value.trim() && !UUID.test(entityId.value.trim())) {
      placeFieldError(entityId, "must be an id (a UUID such as 01a2486c-a2e8-7676-b7d2-9e0c71327959).");
      entityId.focus();
      return;
    }
    // datetime-local is the user's local time; the URL and the API get the instant in UTC.
    const instant = (input) => (input.value ? new Date(input.value).toISOString() : "");
    const values = { action: action.value.trim(), entity: entity.value, entityId: entityId.value.trim(), actorId: actor.value, from: instant(from), to: instant(to) };
    const params = new URLSearchParams(Object.entries(values).filter(([, v]) => v));
    navigate(`/app/admin/audit${params.toString() ? `?${params}` : ""}`);
  });

  view.append(h("h1", {}, "Audit trail"), form, slot);
  if (page.error) {
    // A refused filter (400/422) names its parameter: its reason goes beside its control, which
    // can only be found once the form is in the document.
    ctx.afterMount = () => showProblem(slot, page.error, (f) => CONTROLS[f] ?? null);
    return;
  }

  const rows = page.data.map((event) => ({
    attrs: { dataset: { action: event.action } },
    cells: [
      timeElement(event.createdAt),
      event.actorId ? nameOf(people, event.actorId) : "—",
      h("code", {}, event.action),
      entityCell(event, people),
      detailsCell(event),
    ],
  }));
  const base = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
  const pager = h("nav", { class: "pager", "aria-label": "Pages" });
  if (cursor) pager.append(h("a", { href: `/app/admin/audit${base.toString() ? `?${base}` : ""}` }, "First page"));
  const nextCursor = cursorOf(page.next);
  if (nextCursor) {
    const params = new URLSearchParams(base);
    params.set("cursor", nextCursor);
    pager.append(h("a", { href: `/app/admin/audit?${params}`, rel: "next" }, "Next page"));
  }
  view.append(
    rows.length
      ? table(null, ["Time", "Actor", "Action", "Entity", "Details"], rows, "Audit events")
      : h("p", { class: "empty" }, "No event matches these filters."),
    pager,
  );
}
