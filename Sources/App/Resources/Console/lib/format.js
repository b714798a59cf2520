// Formatting shared by the screens: one place decides how times and numbers read.
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const number = new Intl.NumberFormat();

export function formatTime(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : dateTime.format(d);
}

export function timeElement(iso) {
  const el = document.createElement("time");
  if (iso) el.dateTime = iso;
  el.textContent = formatTime(iso);
  return el;
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const UNITS = [["year", 31_536_000], ["month", 2_592_000], ["day", 86_400], ["hour", 3_600], ["minute", 60], ["second", 1]];

/** "5 minutes ago", "in 2 hours": the largest unit that fits. */
export function relativeTime(iso, now = Date.now()) {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return "—";
  const seconds = Math.round((d.getTime() - now) / 1000);
  const [unit, size] = UNITS.find(([, s]) => Math.abs(seconds) >= s) ?? ["second", 1];
  return relative.format(Math.trunc(seconds / size), unit);
}

/** <time> reading "5 minutes ago", with the exact local time as its title. */
export function relativeTimeElement(iso) {
  const el = timeElement(iso);
  if (iso) {
    el.title = formatTime(iso);
    el.textContent = relativeTime(iso);
  }
  return el;
}

export function formatNumber(n) {
  return typeof n === "number" ? number.format(n) : "—";
}

export function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(2)} MiB`;
}

/** The browser's IANA time zone, sent to the statistics endpoints so "today" is the user's. */
export function timeZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** YYYY-MM-DD of a date as seen in the given time zone. */
export function isoDateIn(date, tz) {
  return new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
}
