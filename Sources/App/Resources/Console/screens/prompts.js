// My prompts: GET /prompts?mine=true; each item names its issue, template and latest version.
import { cursorOf, request } from "../lib/api.js";
import { h, table } from "../lib/dom.js";
import { timeElement } from "../lib/format.js";

export async function render(view, { query }) {
  const cursor = query.get("cursor");
  const { data: prompts, next } = await request("/prompts", { query: { mine: true, limit: 50, cursor } });
  const rows = prompts.map((p) => [
    h("a", { href: `/app/prompts/${encodeURIComponent(p.id)}` },
      p.issueKey ? `${p.issueKey} ${p.issueTitle ?? ""}`.trim() : `Prompt ${p.id.slice(0, 8)}`),
    p.templateName ?? "—",
    p.latestVersion ? `Version ${p.latestVersion} · ${p.latestTokens} tokens` : "—",
    timeElement(p.latestAt ?? p.createdAt),
  ]);
  const nextCursor = cursorOf(next);
  view.append(
    h("h1", {}, "My prompts"),
    rows.length
      ? table(null, ["Issue", "Template", "Latest version", "Time"], rows, "My prompts")
      : h("p", { class: "empty" }, "You have not generated a prompt yet. Open an ", h("a", { href: "/app/issues" }, "issue"), " and choose “Generate a prompt”."),
    h("nav", { class: "pager", "aria-label": "Pages" },
      cursor ? h("a", { href: "/app/prompts" }, "First page") : null,
      nextCursor ? h("a", { href: `/app/prompts?cursor=${encodeURIComponent(nextCursor)}`, rel: "next" }, "Next page") : null),
  );
}
