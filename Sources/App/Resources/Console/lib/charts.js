// Small SVG charts drawn by hand (no library): bars with labelled axes, a <title> and <desc>
// for assistive technology, and every value written as text beside its bar so the chart reads
// without colour. Sizes are in viewBox units; CSS scales the SVG to its container.
import { formatNumber } from "./format.js";

const NS = "http://www.w3.org/2000/svg";
let counter = 0;

function s(tag, attrs = {}, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = String(text);
  return el;
}

function frame(title, desc, width, height) {
  const id = `chart-${++counter}`;
  const svg = s("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": `${id}-title ${id}-desc`, class: "chart", preserveAspectRatio: "xMinYMin meet" });
  svg.append(s("title", { id: `${id}-title` }, title), s("desc", { id: `${id}-desc` }, desc));
  return svg;
}

/** A tidy axis maximum: 1, 2 or 5 times a power of ten, at least the data's maximum. */
function niceMax(max) {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((m) => m * power).find((v) => v >= max);
}

/**
 * Vertical bars over time: data [{label, value}], oldest first.
 * `xLabel` and `yLabel` name the axes.
 */
export function columnChart({ title, data, xLabel, yLabel }) {
  const width = 720;
  const height = 300;
  const left = 64;
  const right = 12;
  const top = 24;
  const bottom = 70;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const max = niceMax(Math.max(0, ...data.map((d) => d.value)));
  const desc = `${yLabel} by ${xLabel}: ${data.map((d) => `${d.label}: ${formatNumber(d.value)}`).join("; ")}.`;
  const svg = frame(title, desc, width, height);
  const y = (v) => top + plotH - (v / max) * plotH;

  // Axes and grid lines with their values.
  // Counts are whole numbers: a half-way tick of 2.5 prompts would read as nonsense.
  for (const tick of [0, max / 2, max].filter(Number.isInteger)) {
    svg.append(s("line", { x1: left, x2: width - right, y1: y(tick), y2: y(tick), class: tick === 0 ? "axis" : "grid" }));
    svg.append(s("text", { x: left - 6, y: y(tick) + 4, "text-anchor": "end", class: "tick" }, formatNumber(tick)));
  }
  svg.append(s("line", { x1: left, x2: left, y1: top, y2: top + plotH, class: "axis" }));

  const step = plotW / Math.max(1, data.length);
  const barW = Math.max(2, step * 0.7);
  const labelEvery = Math.ceil(data.length / 15); // keep day labels from overlapping
  data.forEach((d, n) => {
    const x = left + n * step + (step - barW) / 2;
    svg.append(s("rect", { x, y: y(d.value), width: barW, height: Math.max(0, top + plotH - y(d.value)), class: "bar" },
      undefined));
    svg.lastChild.append(s("title", {}, `${d.label}: ${formatNumber(d.value)}`));
    if (data.length <= 15 || d.value > 0) {
      svg.append(s("text", { x: x + barW / 2, y: y(d.value) - 4, "text-anchor": "middle", class: data.length > 15 ? "value small" : "value" }, formatNumber(d.value)));
    }
    if (n % labelEvery === 0) {
      const lx = x + barW / 2;
      const ly = top + plotH + 14;
      svg.append(s("text", { x: lx, y: ly, "text-anchor": "end", transform: `rotate(-40 ${lx} ${ly})`, class: "tick" }, d.label));
    }
  });
  svg.append(s("text", { x: left + plotW / 2, y: height - 4, "text-anchor": "middle", class: "axis-label" }, xLabel));
  svg.append(s("text", { x: 14, y: top + plotH / 2, "text-anchor": "middle", transform: `rotate(-90 14 ${top + plotH / 2})`, class: "axis-label" }, yLabel));
  return svg;
}

/** Horizontal bars for categories (IDE, template): data [{label, value}], largest first. */
export function barChart({ title, data, valueLabel, categoryLabel }) {
  const width = 720;
  const rowH = 30;
  const left = 180;
  const right = 90;
  const top = 10;
  const bottom = 40;
  const height = top + bottom + Math.max(1, data.length) * rowH;
  const plotW = width - left - right;
  const max = niceMax(Math.max(0, ...data.map((d) => d.value)));
  const desc = data.length
    ? `${valueLabel} by ${categoryLabel}: ${data.map((d) => `${d.label}: ${formatNumber(d.value)}`).join("; ")}.`
    : "No data.";
  const svg = frame(title, desc, width, height);
  data.forEach((d, n) => {
    const y = top + n * rowH;
    const w = (d.value / max) * plotW;
    const label = d.label.length > 26 ? `${d.label.slice(0, 25)}…` : d.label;
    svg.append(s("text", { x: left - 8, y: y + rowH / 2 + 4, "text-anchor": "end", class: "tick" }, label));
    svg.append(s("rect", { x: left, y: y + 5, width: Math.max(1, w), height: rowH - 10, class: "bar" }));
    svg.append(s("text", { x: left + w + 6, y: y + rowH / 2 + 4, class: "value" }, formatNumber(d.value)));
  });
  const axisY = top + Math.max(1, data.length) * rowH;
  svg.append(s("line", { x1: left, x2: left, y1: top, y2: axisY, class: "axis" }));
  svg.append(s("line", { x1: left, x2: left + plotW, y1: axisY, y2: axisY, class: "axis" }));
  for (const tick of [0, max / 2, max].filter(Number.isInteger)) {
    svg.append(s("text", { x: left + (tick / max) * plotW, y: axisY + 14, "text-anchor": "middle", class: "tick" }, formatNumber(tick)));
  }
  svg.append(s("text", { x: left + plotW / 2, y: height - 4, "text-anchor": "middle", class: "axis-label" }, valueLabel));
  svg.append(s("text", { x: 8, y: height - 4, class: "axis-label" }, categoryLabel));
  if (!data.length) svg.append(s("text", { x: left + 8, y: top + rowH / 2 + 4, class: "tick" }, "No data in this period"));
  return svg;
}
