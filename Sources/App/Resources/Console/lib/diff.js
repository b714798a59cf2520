// Draws the hunks of GET /prompt-templates/{id}/diff as a table, unified or side by side.
// Every changed line carries a sign (+ / −) and a visually hidden word as well as a colour, so
// the diff reads without colour and with a screen reader.
import { h } from "./dom.js";

const SIGN = { added: "+", removed: "−", context: " " };
const WORD = { added: "added", removed: "removed", context: "" };

function codeCell(kind, text) {
  return h("td", { class: `code diff-${kind}` },
    WORD[kind] ? h("span", { class: "visually-hidden" }, `${WORD[kind]}: `) : null,
    h("span", { class: "sign", "aria-hidden": "true" }, SIGN[kind]), text);
}

function hunkHeader(hunk, span) {
  return h("tr", { class: "hunk" }, h("th", { colspan: String(span), scope: "colgroup" },
    `@@ −${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`));
}

function wrap(caption, headings, body) {
  return h("div", { class: "diff-wrap", tabindex: "0", role: "region", "aria-label": caption },
    h("table", { class: "diff" },
      h("caption", { class: "visually-hidden" }, caption),
      h("thead", {}, h("tr", {}, headings.map((t) => h("th", { scope: "col" }, t)))),
      body));
}

export function unifiedView(hunks, caption) {
  const body = h("tbody");
  for (const hunk of hunks) {
    body.append(hunkHeader(hunk, 3));
    for (const line of hunk.lines) {
      body.append(h("tr", {},
        h("td", { class: "num" }, line.oldLine ?? ""), h("td", { class: "num" }, line.newLine ?? ""),
        codeCell(line.kind, line.text)));
    }
  }
  return wrap(caption, ["Old", "New", "Line"], body);
}

/** Pairs each run of removed lines with the added lines that follow it. */
function rows(lines) {
  const out = [];
  let i = 0;
  while (i < lines.length) {
    if (lines[i].kind === "context") {
      out.push([lines[i], lines[i]]);
      i++;
      continue;
    }
    const removed = [];
    const added = [];
    while (i < lines.length && lines[i].kind === "removed") removed.push(lines[i++]);
    while (i < lines.length && lines[i].kind === "added") added.push(lines[i++]);
    for (let n = 0; n < Math.max(removed.length, added.length); n++) out.push([removed[n] ?? null, added[n] ?? null]);
  }
  return out;
}

export function sideBySideView(hunks, caption) {
  const body = h("tbody");
  for (const hunk of hunks) {
    body.append(hunkHeader(hunk, 4));
    for (const [left, right] of rows(hunk.lines)) {
      body.append(h("tr", {},
        h("td", { class: "num" }, left?.oldLine ?? ""), left ? codeCell(left.kind, left.text) : h("td", { class: "code diff-empty" }),
        h("td", { class: "num" }, right?.newLine ?? ""), right ? codeCell(right.kind, right.text) : h("td", { class: "code diff-empty" })));
    }
  }
  return wrap(caption, ["Old", "Before", "New", "After"], body);
}
