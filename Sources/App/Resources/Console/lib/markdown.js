// Markdown → DOM, sanitised by construction: the renderer only ever creates the elements in
// the list below and fills them with text nodes, so raw HTML in a tracker description
// (<script>, <img onerror>) is shown as the characters it is. Links keep only http:, https:
// and mailto: targets; anything else (javascript:, data:, relative) becomes plain text.
// Images become links: the CSP would block remote images anyway.
//
// Supported: ATX headings, paragraphs with hard breaks, emphasis (* _ ** __ ~~), code spans,
// fenced and indented code blocks, bullet and ordered lists (nested by indentation), block
// quotes, thematic breaks, GFM tables, [links](…), <autolinks> and bare http(s) URLs.

const MAX_DEPTH = 16; // lists and quotes nested deeper than this render as plain text

const SAFE_SCHEMES = new Set(["http:", "https:", "mailto:"]);

/** The URL as an absolute http(s)/mailto string, or null when it must not become a link. */
export function safeHref(raw) {
  try {
    const url = new URL(raw.trim()); // throws for relative URLs: those stay text
    return SAFE_SCHEMES.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

/** Code blocks and tables may scroll sideways: keyboard users must be able to reach them. */
function scrollable(node) {
  node.tabIndex = 0;
  return node;
}

function el(tag, ...children) {
  const node = document.createElement(tag);
  for (const c of children) node.append(c);
  return node;
}

/** Renders Markdown into a DocumentFragment. `headingOffset` pushes `#` below the page's h1/h2. */
export function renderMarkdown(source, { headingOffset = 2 } = {}) {
  const fragment = document.createDocumentFragment();
  const lines = String(source ?? "").replace(/\r\n?/g, "\n").replace(/\t/g, "    ").split("\n");
  blocks(lines, fragment, 0, headingOffset);
  return fragment;
}

// ---------------------------------------------------------------- blocks

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)/;
const HEADING = /^ {0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$/;
const RULE = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;
const QUOTE = /^ {0,3}> ?/;
const ITEM = /^( {0,3})([-*+]|\d{1,9}[.)])(\s+|$)(.*)$/;
const TABLE_SEP = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

function isBlank(line) {
  return /^\s*$/.test(line);
}

function startsBlock(line, next) {
  return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line)
    || ITEM.test(line) || (line.includes("|") && next !== undefined && TABLE_SEP.test(next) && next.includes("-"));
}

function blocks(lines, parent, depth, headingOffset) {
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (isBlank(line)) {
      i++;
      continue;
    }
    if (depth > MAX_DEPTH) {
      parent.append(el("p", lines.slice(i).join("\n")));
      return;
    }
    let m;
    if ((m = line.match(FENCE))) {
      const fence = m[1];
      const body = [];
      i++;
      while (i < lines.length && !new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`).test(lines[i])) body.push(lines[i++]);
      i++; // the closing fence (or the end)
      const code = el("code", body.join("\n"));
      if (m[2]) code.dataset.lang = m[2];
      parent.append(scrollable(el("pre", code)));
    } else if (/^ {4}/.test(line)) {
      const body = [];
      while (i < lines.length && (/^ {4}/.test(lines[i]) || isBlank(lines[i]))) body.push(lines[i++].slice(4));
      while (body.length && isBlank(body[body.length - 1])) body.pop();
      parent.append(scrollable(el("pre", el("code", body.join("\n")))));
    } else if ((m = line.match(HEADING))) {
      const level = Math.min(6, m[1].length + headingOffset);
      const heading = document.createElement(`h${level}`);
      inline(m[2] ?? "", heading);
      parent.append(heading);
      i++;
    } else if (RULE.test(line)) {
      parent.append(document.createElement("hr"));
      i++;
    } else if (QUOTE.test(line)) {
      const inner = [];
      while (i < lines.length && !isBlank(lines[i]) && (QUOTE.test(lines[i]) || inner.length)) {
        if (!QUOTE.test(lines[i]) && startsBlock(lines[i], lines[i + 1])) break;
        inner.push(lines[i].replace(QUOTE, ""));
        i++;
      }
      const quote = document.createElement("blockquote");
      blocks(inner, quote, depth + 1, headingOffset);
      parent.append(quote);
    } else if (ITEM.test(line)) {
      i = list(lines, i, parent, depth, headingOffset);
    } else if (line.includes("|") && i + 1 < lines.length && TABLE_SEP.test(lines[i + 1]) && lines[i + 1].includes("-")) {
      i = tableBlock(lines, i, parent);
    } else {
      const text = [];
      while (i < lines.length && !isBlank(lines[i]) && (text.length === 0 || !startsBlock(lines[i], lines[i + 1]))) {
        text.push(lines[i].replace(/^ {0,3}/, ""));
        i++;
      }
      const p = document.createElement("p");
      inline(text.join("\n"), p);
      parent.append(p);
    }
  }
}

/** One list starting at lines[start]; returns the index after it. */
function list(lines, start, parent, depth, headingOffset) {
  const first = lines[start].match(ITEM);
  const ordered = /\d/.test(first[2]);
  const marker = first[2].slice(-1);
  const listEl = document.createElement(ordered ? "ol" : "ul");
  if (ordered && parseInt(first[2], 10) !== 1) listEl.setAttribute("start", String(parseInt(first[2], 10)));
  let i = start;
  while (i < lines.length) {
    const m = lines[i].match(ITEM);
    if (!m || /\d/.test(m[2]) !== ordered || m[2].slice(-1) !== marker) break;
    const contentIndent = m[1].length + m[2].length + Math.min(m[3].length || 1, 4);
    const item = [m[4]];
    i++;
    let sawBlank = false;
    while (i < lines.length) {
      const line = lines[i];
      if (isBlank(line)) {
        sawBlank = true;
        item.push("");
        i++;
        continue;
      }
      const indent = line.match(/^ */)[0].length;
      if (indent >= contentIndent) {
        item.push(line.slice(contentIndent));
      } else if (!sawBlank && !startsBlock(line, lines[i + 1])) {
        item.push(line.trimStart()); // lazy continuation of the item's paragraph
      } else {
        break;
      }
      sawBlank = false;
      i++;
    }
    while (item.length && isBlank(item[item.length - 1])) item.pop();
    const li = document.createElement("li");
    blocks(item, li, depth + 1, headingOffset);
    // A one-paragraph item reads better without the <p> (a "tight" list).
    if (li.childNodes.length === 1 && li.firstChild.nodeName === "P") li.replaceChildren(...li.firstChild.childNodes);
    listEl.append(li);
    // A blank line followed by a non-item ends the list.
    if (i < lines.length && !ITEM.test(lines[i])) break;
  }
  parent.append(listEl);
  return i;
}

function cells(row) {
  let text = row.trim();
  if (text.startsWith("|")) text = text.slice(1);
  if (text.endsWith("|") && !text.endsWith("\\|")) text = text.slice(0, -1);
  return text.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, "|"));
}

function tableBlock(lines, start, parent) {
  const head = cells(lines[start]);
  const aligns = cells(lines[start + 1]).map((c) => (c.endsWith(":") ? (c.startsWith(":") ? "center" : "right") : "left"));
  const table = document.createElement("table");
  const row = (values, tag) => {
    const tr = document.createElement("tr");
    head.forEach((_, n) => {
      const cell = document.createElement(tag);
      if (tag === "th") cell.setAttribute("scope", "col");
      if (aligns[n] !== "left") cell.className = `align-${aligns[n]}`;
      inline(values[n] ?? "", cell);
      tr.append(cell);
    });
    return tr;
  };
  table.append(el("thead", row(head, "th")));
  const body = document.createElement("tbody");
  let i = start + 2;
  while (i < lines.length && !isBlank(lines[i]) && lines[i].includes("|")) body.append(row(cells(lines[i++]), "td"));
  table.append(body);
  const wrap = document.createElement("div");
  wrap.className = "table-wrap";
  scrollable(wrap);
  wrap.append(table);
  parent.append(wrap);
  return i;
}

// ---------------------------------------------------------------- inline

const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;
const BARE_URL = /^https?:\/\/[^\s<>"]*[^\s<>".,:;!?'")\]]/;

/** Appends the inline content of `text` to `parent`. `inLink` stops links nesting in links. */
function inline(text, parent, inLink = false) {
  let buffer = "";
  const flush = () => {
    if (buffer) parent.append(document.createTextNode(buffer));
    buffer = "";
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const rest = text.slice(i);
    let m;
    if (c === "\\" && text[i + 1] === "\n") {
      flush();
      parent.append(document.createElement("br"));
      i += 2;
    } else if (c === "\\" && PUNCTUATION.test(text[i + 1] ?? "")) {
      buffer += text[i + 1];
      i += 2;
    } else if (c === "\n") {
      if (buffer.endsWith("  ")) {
        buffer = buffer.replace(/ +$/, "");
        flush();
        parent.append(document.createElement("br"));
      } else {
        buffer += "\n";
      }
      i++;
    } else if (c === "`" && (m = rest.match(/^(`+)([\s\S]*?[^`])\1(?!`)/))) {
      flush();
      let code = m[2].replace(/\n/g, " ");
      if (/^ .* $/.test(code)) code = code.slice(1, -1);
      parent.append(el("code", code));
      i += m[0].length;
    } else if (c === "<" && (m = rest.match(/^<((?:https?|mailto):[^\s<>]+)>/i))) {
      flush();
      appendLink(parent, m[1], (a) => a.append(m[1]), inLink);
      i += m[0].length;
    } else if ((c === "[" || (c === "!" && text[i + 1] === "[")) && (m = matchLink(text, c === "!" ? i + 1 : i))) {
      flush();
      const image = c === "!";
      appendLink(parent, m.href, (a) => {
        if (image) a.append(`Image: ${m.label || m.href}`);
        else inline(m.label, a, true);
      }, inLink, m.label);
      i = m.end;
    } else if ((c === "h" || c === "H") && !inLink && /(^|[\s(])$/.test(text.slice(Math.max(0, i - 1), i)) && (m = rest.match(BARE_URL))) {
      flush();
      appendLink(parent, m[0], (a) => a.append(m[0]), inLink);
      i += m[0].length;
    } else if ((c === "*" || c === "_" || c === "~") && (m = matchEmphasis(text, i))) {
      flush();
      const node = document.createElement(m.tag);
      inline(m.inner, node, inLink);
      parent.append(node);
      i = m.end;
    } else {
      buffer += c;
      i++;
    }
  }
  flush();
}

function appendLink(parent, href, fill, inLink, fallbackText) {
  const safe = inLink ? null : safeHref(href);
  if (!safe) {
    // Not a link we allow: keep the words the author wrote, as text in a plain <span>.
    const span = document.createElement("span");
    span.className = "unsafe-link";
    fill(span);
    if (!span.textContent && fallbackText !== undefined) span.textContent = fallbackText;
    parent.append(span);
    return;
  }
  const a = document.createElement("a");
  a.href = safe;
  a.rel = "noopener noreferrer";
  fill(a);
  if (!a.textContent) a.textContent = safe;
  parent.append(a);
}

/** `[label](href "title")` starting at text[start] === "[". */
function matchLink(text, start) {
  let depth = 0;
  let close = -1;
  for (let j = start; j < text.length; j++) {
    if (text[j] === "\\") j++;
    else if (text[j] === "[") depth++;
    else if (text[j] === "]" && --depth === 0) {
      close = j;
      break;
    }
  }
  if (close < 0 || text[close + 1] !== "(") return null;
  const m = text.slice(close + 2).match(/^\s*(<[^<>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:\s+("[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/);
  if (!m) return null;
  const href = m[1].startsWith("<") ? m[1].slice(1, -1) : m[1];
  return { label: text.slice(start + 1, close), href, end: close + 2 + m[0].length };
}

/** `**x**`, `__x__`, `*x*`, `_x_`, `~~x~~` starting at text[i]. */
function matchEmphasis(text, i) {
  const c = text[i];
  const double = text[i + 1] === c;
  if (c === "~" && !double) return null;
  const delim = double ? c + c : c;
  const after = text[i + delim.length];
  if (!after || /\s/.test(after)) return null;
  // `snake_case_names` are not emphasis: an underscore inside a word opens nothing.
  if (c === "_" && i > 0 && /[\p{L}\p{N}]/u.test(text[i - 1])) return null;
  let j = i + delim.length + 1;
  while (j <= text.length - delim.length) {
    const k = text.indexOf(delim, j);
    if (k < 0) return null;
    const before = text[k - 1];
    const next = text[k + delim.length];
    const closes = !/\s/.test(before) && (delim.length === 2 || next !== c)
      && !(c === "_" && next && /[\p{L}\p{N}]/u.test(next));
    if (closes && (delim.length === 2 || text[k - 1] !== c)) {
      return { tag: c === "~" ? "del" : double ? "strong" : "em", inner: text.slice(i + delim.length, k), end: k + delim.length };
    }
    j = k + 1;
  }
  return null;
}
