// An inline confirmation for actions that cannot be undone (archive a tracker, revoke a token):
// the button opens a short question with "Yes, …" and "Cancel" right beside it. No
// window.confirm (it blocks the page and cannot be styled or tested), no modal to trap focus.
import { h } from "./dom.js";
import { showProblem } from "./problem.js";

/**
 * `label`: the trigger's text (and accessible name); `question`: what will happen;
 * `confirmLabel`: the confirming button's text; `action`: async, rejects with an ApiError to
 * show (beside the buttons) or resolves once done.
 */
export function confirmAction({ label, question, confirmLabel, action, danger = true }) {
  const trigger = h("button", { type: "button", class: danger ? "danger secondary" : "secondary" }, label);
  const confirm = h("button", { type: "button", class: danger ? "danger" : "" }, confirmLabel);
  const cancel = h("button", { type: "button", class: "secondary" }, "Cancel");
  const slot = h("div", { class: "problem-slot" });
  const box = h("div", { class: "confirm", role: "group", "aria-label": label, hidden: true },
    h("p", {}, question), h("div", { class: "actions" }, confirm, cancel), slot);

  trigger.addEventListener("click", () => {
    trigger.hidden = true;
    box.hidden = false;
    cancel.focus(); // the harmless choice first: Enter by habit does not destroy anything
  });
  cancel.addEventListener("click", () => {
    box.hidden = true;
    trigger.hidden = false;
    slot.replaceChildren();
    trigger.focus();
  });
  confirm.addEventListener("click", async () => {
    confirm.disabled = true;
    cancel.disabled = true;
    slot.replaceChildren();
    try {
      await action();
    } catch (error) {
      showProblem(slot, error);
    } finally {
      confirm.disabled = false;
      cancel.disabled = false;
    }
  });
  return h("div", { class: "confirm-action" }, trigger, box);
}
