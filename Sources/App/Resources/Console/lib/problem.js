// Shows API errors the way the contract asks: the problem's `detail` in a role="alert" box,
// and each field error beside its control (<p id="<control>-error">, aria-describedby,
// aria-invalid) so a screen-reader user hears it on the field itself.
import { addDescribedBy, clear, h, removeDescribedBy } from "./dom.js";

/** A problem's field errors: `errors` [{field, reason}] (or RFC 7807's `invalidParams`). */
export function fieldErrors(problem) {
  const list = problem?.errors ?? problem?.invalidParams ?? [];
  return Array.isArray(list)
    ? list.map((e) => ({ field: e.field ?? e.name ?? "", reason: e.reason ?? e.message ?? "" }))
    : [];
}

/** Removes field errors inside `scope` and empties the alert slot. */
export function clearProblems(scope, slot) {
  for (const p of scope.querySelectorAll(".field-error")) {
    const controlId = p.id.replace(/-error$/, "");
    const control = document.getElementById(controlId);
    if (control) {
      control.removeAttribute("aria-invalid");
      removeDescribedBy(control, p.id);
    }
    p.remove();
  }
  if (slot) clear(slot);
}

/** Puts one reason beside a control (appending when it already has one). */
export function placeFieldError(control, reason) {
  const id = `${control.id}-error`;
  let p = document.getElementById(id);
  if (!p) {
    p = h("p", { id, class: "field-error" });
    const wrapper = control.closest(".field") ?? control.parentElement;
    wrapper.append(p);
  }
  p.append(p.textContent ? ` ${reason}` : reason);
  control.setAttribute("aria-invalid", "true");
  addDescribedBy(control, id);
}

/**
 * Renders an error into `slot`. `controlFor(field)` maps an API field name (e.g. `vars/topic`)
 * to a control id; errors without a control are listed in the alert itself.
 */
export function showProblem(slot, error, controlFor = (field) => field) {
  const problem = error?.problem ?? { title: "Something went wrong", detail: error?.message ?? String(error) };
  const alert = h("div", { role: "alert", class: "problem" },
    h("p", { class: "problem-detail" }, problem.detail || problem.title || "The request failed."));
  const unplaced = [];
  for (const { field, reason } of fieldErrors(problem)) {
    const id = controlFor(field);
    const control = id ? document.getElementById(id) : null;
    if (control) placeFieldError(control, reason);
    else unplaced.push(`${field}: ${reason}`);
  }
  if (unplaced.length) alert.append(h("ul", {}, unplaced.map((t) => h("li", {}, t))));
  clear(slot).append(alert);
  return alert;
}

/** An empty slot for alerts, placed where a screen wants its errors. */
export function problemSlot() {
  return h("div", { class: "problem-slot" });
}
