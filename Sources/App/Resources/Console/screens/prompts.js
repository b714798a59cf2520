// My prompts: GET /prompts?mine=true. The list item names only ids, so the issue keys,
// template names and latest versions are looked up beside it (in parallel, once per id).
import { cursorOf, get, getAll, request } from "../lib/api.js";
import { h, table } from "../lib/dom.js";
import { timeElement } from "../lib/format.js";

export async function render(view, { query }) {
  const cursor = query.get("cursor");
  const [{ data: prompts, next }, templates] = await Promise.all([
    request("/prompts", { query: { mine: true, limit: 50, cursor } }),
    getAll("/prompt-templates").catch(() => []),
  ]);
  const templateNames = new Map(templates.map((t) => [t.id, t.name]));
  const issueIds = [...new Set(prompts.map((p) => p.issueId))];
  const issues = new Map(await Promise.all(issueIds.map((id) => get(`/issues/${id}`).then((i) => [id, i], () => [id, null]))));
  const details = await Promise.all(prompts.map((p) => get(`/prompts/${p.id}`).catch(() => p)));

  const rows = details.map((p) => {
    const issue = issues.get(p.issueId);
    const latest = p.versions?.[p.versions.length - 1];
    return [
      h("a", { href: `/app/prompts/${encodeURIComponent(p.id)}` }, issue ? `${issue.extKey} ${issue.title}` : `Prompt ${p.id.slice(0, 8)}`),
      templateNames.get(p.templateId) ?? "(archived template)",
      latest ? `Version ${latest.version} · ${latest.tokens} tokens` : "—",
      timeElement(latest?.createdAt ?? p.createdAt),
    ];
  });
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
