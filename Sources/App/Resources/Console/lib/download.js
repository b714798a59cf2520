// Copy and download for generated text, without a server round trip.
import { h } from "./dom.js";

/** An <a download> pointing at a Blob of `text` (the object URL lives as long as the page). */
export function downloadLink(text, filename, label, type = "text/markdown;charset=utf-8") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  return h("a", { href: url, download: filename, class: "button secondary" }, label);
}

/** Saves a Blob under a name by clicking a temporary link (for fetched downloads). */
export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: filename, class: "visually-hidden" }, filename);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Copies text; the async Clipboard API first, a selected textarea as the fallback. */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = h("textarea", { class: "visually-hidden", readonly: true, "aria-hidden": "true", tabindex: "-1" });
    area.value = text;
    document.body.append(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch {
      ok = false;
    }
    area.remove();
    return ok;
  }
}

/** A file name safe on every system: `PROJ-1 my template v2.md` → `PROJ-1-my-template-v2.md`. */
export function fileName(...parts) {
  return `${parts.filter(Boolean).join("-").replace(/[^A-Za-z0-9._-]+/g, "-").replace(/-+/g, "-").replace(/^-|-$/g, "")}.md`;
}
