// A plain <textarea> with a line-number gutter beside it. The gutter is decoration
// (aria-hidden): the diagnostics list carries the same information for every user, and its
// entries move the caret to the line and column they name.
import { h } from "./dom.js";

export function createCodeEditor({ id, value = "", rows = 18, describedBy }) {
  const textarea = h("textarea", {
    id, name: id, rows: String(rows), wrap: "off", spellcheck: "false", autocapitalize: "off",
    autocomplete: "off", class: "code", value, "aria-describedby": describedBy,
  });
  const gutter = h("div", { class: "gutter", "aria-hidden": "true" });
  const element = h("div", { class: "code-editor" }, gutter, textarea);
  let lineCount = 0;
  let markers = new Map(); // line → "error" | "warning"

  function renderGutter() {
    const count = textarea.value.split("\n").length;
    if (count === lineCount && !renderGutter.dirty) return;
    lineCount = count;
    renderGutter.dirty = false;
    const lines = [];
    for (let n = 1; n <= count; n++) {
      const severity = markers.get(n);
      // The marker is a shape and a letter as well as a colour: readable without colour.
      lines.push(h("div", { class: severity ? `ln ln-${severity}` : "ln" }, severity ? `${severity === "error" ? "✖" : "▲"} ${n}` : String(n)));
    }
    gutter.replaceChildren(...lines);
    gutter.scrollTop = textarea.scrollTop;
  }

  textarea.addEventListener("input", renderGutter);
  textarea.addEventListener("scroll", () => {
    gutter.scrollTop = textarea.scrollTop;
  });
  renderGutter();

  return {
    element,
    textarea,
    /** Marks lines from diagnostics [{line, severity}]; errors win over warnings. */
    setMarkers(diagnostics) {
      markers = new Map();
      for (const d of diagnostics) {
        if (markers.get(d.line) !== "error") markers.set(d.line, d.severity);
      }
      renderGutter.dirty = true;
      renderGutter();
    },
    /** Puts the caret at a 1-based line and column (columns count Unicode scalars). */
    goTo(line, column) {
      const lines = textarea.value.split("\n");
      let offset = 0;
      for (let n = 0; n < Math.min(line - 1, lines.length); n++) offset += lines[n].length + 1;
      const target = lines[Math.min(line - 1, lines.length - 1)] ?? "";
      offset += [...target].slice(0, Math.max(0, column - 1)).join("").length;
      textarea.focus();
      textarea.setSelectionRange(offset, offset);
      const lineHeight = parseFloat(getComputedStyle(textarea).lineHeight) || 20;
      textarea.scrollTop = Math.max(0, (line - 3) * lineHeight);
    },
  };
}
