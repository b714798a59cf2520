// The review of one output on the prompt page: its current verdict, comment and links, and the
// form that replaces it (PUT /outputs/{id}/review).
import { request } from "../lib/api.js";
import { clear, field, h, select } from "../lib/dom.js";
import { timeElement } from "../lib/format.js";
import { problemSlot, showProblem } from "../lib/problem.js";

const VERDICTS = [
  { value: "accepted", label: "Accepted" },
  { value: "changes_requested", label: "Changes requested" },
  { value: "rejected", label: "Rejected" },
];

function describe(review) {
  if (!review) return h("p", { class: "review-current" }, "Not reviewed yet.");
  const verdict = VERDICTS.find((v) => v.value === review.verdict)?.label ?? review.verdict;
  return h("div", { class: "review-current", dataset: { verdict: review.verdict } },
    h("p", {}, h("strong", {}, verdict), ` by ${review.reviewedByName ?? "someone"}, `, timeElement(review.reviewedAt)),
    review.comment ? h("p", {}, review.comment) : null,
    review.links?.length ? h("ul", {}, review.links.map((url) => h("li", {}, h("a", { href: url, rel: "noopener noreferrer", target: "_blank" }, url)))) : null);
}

export function reviewBlock(output) {
  const id = output.id;
  const current = h("div", {}, describe(output.review));
  const verdict = select(`review-verdict-${id}`, VERDICTS, output.review?.verdict ?? "accepted");
  const comment = h("input", { id: `review-comment-${id}`, name: "comment", value: output.review?.comment ?? "", autocomplete: "off" });
  const link = h("input", { id: `review-link-${id}`, name: "link", type: "url", value: output.review?.links?.[0] ?? "", placeholder: "https://…", autocomplete: "url" });
  const slot = problemSlot();
  const save = h("button", { type: "submit", class: "secondary" }, "Save review");
  const form = h("form", { class: "field-row review-form", novalidate: true, "aria-label": "Review this output" },
    field("Verdict", verdict), field("Comment", comment), field("Link (pull request, commit)", link),
    h("div", { class: "field field-button" }, save));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clear(slot);
    const body = { verdict: verdict.value };
    if (comment.value.trim()) body.comment = comment.value.trim();
    if (link.value.trim()) body.links = [link.value.trim()];
    save.disabled = true;
    try {
      const { data } = await request(`/outputs/${encodeURIComponent(id)}/review`, { method: "PUT", body });
      clear(current).append(describe(data));
    } catch (error) {
      showProblem(slot, error, (f) => ({ verdict: `review-verdict-${id}`, comment: `review-comment-${id}`, "links/0": `review-link-${id}` })[f]);
    } finally {
      save.disabled = false;
    }
  });
  return h("div", { class: "review" }, current, form, slot);
}
