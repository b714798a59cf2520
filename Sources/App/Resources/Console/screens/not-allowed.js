// The pages for a screen the user's role may not open, and for a URL that names nothing.
import { h } from "../lib/dom.js";

export function render(view) {
  view.append(
    h("h1", {}, "Not allowed"),
    h("p", {}, "You are not allowed to see this page."),
    h("p", {}, h("a", { href: "/app/issues" }, "Back to the issues")),
  );
}

export function renderNotFound(view) {
  view.append(
    h("h1", {}, "Not found"),
    h("p", {}, "There is nothing at this address, or it belongs to another company."),
    h("p", {}, h("a", { href: "/app/issues" }, "Back to the issues")),
  );
}
