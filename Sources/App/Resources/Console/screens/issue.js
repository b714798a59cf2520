// One issue: its description and acceptance criteria rendered from Markdown (sanitised by
// construction, see lib/markdown.js), a link to the tracker and the way to a prompt.
import { get } from "../lib/api.js";
import { h } from "../lib/dom.js";
import { formatTime } from "../lib/format.js";
import { renderMarkdown, safeHref } from "../lib/markdown.js";

function markdownArticle(label, source, empty) {
  const article = h("article", { class: "markdown", "aria-label": label });
  if (source && source.trim()) article.append(renderMarkdown(source));
  else article.append(h("p", { class: "empty" }, empty));
  return article;
}

export async function render(view, { params }) {
  const issue = await get(`/issues/${encodeURIComponent(params.id)}`);
  const trackerUrl = issue.url ? safeHref(issue.url) : null;
  const facts = [
    ["Status", issue.status || issue.statusCategory],
    ["Type", issue.type ?? "—"],
    ["Priority", issue.priority ?? "—"],
    ["Assignee", issue.assignee?.name ?? issue.assignee?.email ?? "Unassigned"],
    ["Labels", issue.labels?.length ? issue.labels.join(", ") : "—"],
    ["Updated", formatTime(issue.updatedAt)],
  ];
  view.append(
    h("p", { class: "breadcrumb" }, h("a", { href: "/app/issues" }, "Issues")),
    h("h1", {}, `${issue.extKey}: ${issue.title}`),
    issue.deletedAt
      ? h("p", { class: "notice", id: "issue-deleted", role: "status" },
        `Deleted at its tracker on ${formatTime(issue.deletedAt)}: kept for the prompts made from it, no new prompt can be generated.`)
      : null,
    h("div", { class: "actions" },
      issue.deletedAt ? null : h("a", { class: "button", href: `/app/issues/${encodeURIComponent(issue.id)}/generate` }, "Generate a prompt"),
      trackerUrl ? h("a", { href: trackerUrl, rel: "noopener noreferrer", class: "button secondary" }, "Open in tracker") : null),
    h("dl", { class: "facts" }, facts.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
    h("section", { "aria-labelledby": "description-heading" },
      h("h2", { id: "description-heading" }, "Description"),
      markdownArticle("Description", issue.descriptionMd, "No description.")),
    h("section", { "aria-labelledby": "criteria-heading" },
      h("h2", { id: "criteria-heading" }, "Acceptance criteria"),
      markdownArticle("Acceptance criteria", issue.criteriaMd, "No acceptance criteria.")),
  );
}
