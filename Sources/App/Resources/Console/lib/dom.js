// DOM building without innerHTML: every piece of API data reaches the page through
// textContent or attribute setters, so nothing it contains is ever parsed as HTML.

/**
 * h("a", {href: "/x", class: "btn"}, "text", child) → element.
 * Attributes: `class`, `dataset` (object), `on` (object of event listeners), booleans
 * (true sets the attribute, false/null/undefined skips it), anything else via setAttribute.
 * Never pass `style` or `on…` attributes: the Content-Security-Policy forbids them.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === false || value === null || value === undefined) continue;
    if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "on") for (const [type, fn] of Object.entries(value)) el.addEventListener(type, fn);
    else if (key === "value") el.value = value;
    else if (key === "checked" || key === "selected") el[key] = Boolean(value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

/** Appends strings (as text), nodes and (nested) arrays of them; skips null/false. */
export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Removes every child. */
export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

/** A labelled control: <div class="field"><label for=id>…</label>control help</div>. */
export function field(labelText, control, { help, required } = {}) {
  const label = h("label", { for: control.id }, labelText);
  if (required) label.append(" ", h("span", { class: "required" }, "(required)"));
  const parts = [label, control];
  if (help) {
    const helpId = `${control.id}-help`;
    parts.push(h("p", { class: "help", id: helpId }, help));
    addDescribedBy(control, helpId);
  }
  return h("div", { class: "field" }, parts);
}

export function addDescribedBy(control, id) {
  const ids = new Set((control.getAttribute("aria-describedby") ?? "").split(" ").filter(Boolean));
  ids.add(id);
  control.setAttribute("aria-describedby", [...ids].join(" "));
}

export function removeDescribedBy(control, id) {
  const ids = (control.getAttribute("aria-describedby") ?? "").split(" ").filter((x) => x && x !== id);
  if (ids.length) control.setAttribute("aria-describedby", ids.join(" "));
  else control.removeAttribute("aria-describedby");
}

/** <select> from [{value, label}] with one selected value. */
export function select(id, options, selected) {
  return h("select", { id, name: id },
    options.map((o) => h("option", { value: o.value, selected: String(o.value) === String(selected ?? "") }, o.label)));
}

/**
 * A table from column headings and rows of cells (strings or nodes). A row may also be
 * `{cells, attrs}` to give its <tr> attributes (an id to link to, a data-* for tests).
 */
export function table(caption, headings, rows, label = caption) {
  // The wrapper scrolls sideways on narrow screens; tabindex lets keyboard users scroll it.
  return h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": label ?? "Table" },
    h("table", {},
      caption ? h("caption", {}, caption) : null,
      h("thead", {}, h("tr", {}, headings.map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, rows.map((row) => (Array.isArray(row) ? h("tr", {}, row.map((c) => h("td", {}, c)))
        : h("tr", row.attrs, row.cells.map((c) => h("td", {}, c))))))));
}
