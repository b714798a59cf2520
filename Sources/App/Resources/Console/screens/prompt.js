// One prompt: every version (text, tokens, model) with its outputs and their reviews, and the
// form that attaches an output (text or a file up to 5 MiB) with a real upload progress bar.
import { get, getAll, getBlob, upload } from "../lib/api.js";
import { clear, field, h, select } from "../lib/dom.js";
import { saveBlob } from "../lib/download.js";
import { formatBytes, formatNumber, timeElement } from "../lib/format.js";
import { clearProblems, problemSlot, showProblem } from "../lib/problem.js";
import { reviewBlock } from "./output-review.js";

const MAX_BYTES = 5 * 1024 * 1024;

function outputItem(output) {
  const download = h("button", { type: "button", class: "link-button" }, "Download");
  const status = h("span", { role: "status", class: "field-error-inline" });
  download.addEventListener("click", async () => {
    status.textContent = "";
    try {
      const { blob, name } = await getBlob(`/outputs/${encodeURIComponent(output.id)}/content`);
      saveBlob(blob, output.filename ?? name);
    } catch (error) {
      status.textContent = ` Download failed: ${error.problem?.detail ?? error.message}`;
    }
  });
  return h("li", {},
    h("span", {}, output.kind === "file" ? (output.filename ?? "file") : "Text"), " · ",
    formatBytes(output.size), " · ", output.contentType, " · scan: ", output.scanStatus,
    output.tokensOut !== null && output.tokensOut !== undefined ? ` · ${formatNumber(output.tokensOut)} tokens` : "",
    " · ", timeElement(output.createdAt), " ", download, status, reviewBlock(output));
}

export async function render(view, { params }) {
  const prompt = await get(`/prompts/${encodeURIComponent(params.id)}`);
  const [issue, template, versions] = await Promise.all([
    get(`/issues/${prompt.issueId}`).catch(() => null),
    get(`/prompt-templates/${prompt.templateId}`).catch(() => null),
    Promise.all((prompt.versions ?? []).map(async (summary) => {
      const [version, outputs] = await Promise.all([
        get(`/prompt-versions/${summary.id}`),
        getAll("/outputs", { promptVersionId: summary.id }).catch(() => []),
      ]);
      return { version, outputs };
    })),
  ]);
  versions.sort((a, b) => b.version.version - a.version.version);

  const title = issue ? `${issue.extKey}: ${template?.name ?? "prompt"}` : `Prompt ${prompt.id.slice(0, 8)}`;
  view.append(
    h("p", { class: "breadcrumb" }, h("a", { href: "/app/prompts" }, "My prompts")),
    h("h1", {}, `Prompt for ${title}`),
    issue ? h("p", {}, h("a", { href: `/app/issues/${issue.id}` }, `${issue.extKey} ${issue.title}`)) : null,
  );

  const outputLists = new Map();
  view.append(uploadForm(versions.map((v) => v.version), (output) => {
    const list = outputLists.get(output.promptVersionId);
    if (list) {
      list.querySelector(".empty")?.remove();
      list.append(outputItem(output));
    }
  }));

  const section = h("section", { "aria-labelledby": "versions-heading" }, h("h2", { id: "versions-heading" }, "Versions"));
  for (const { version, outputs } of versions) {
    const list = h("ul", { class: "outputs" },
      outputs.length ? outputs.map(outputItem) : h("li", { class: "empty" }, "No output yet."));
    outputLists.set(version.id, list);
    section.append(h("article", { class: "version" },
      h("h3", {}, `Version ${version.version}`),
      h("p", { class: "meta" }, `${formatNumber(version.tokens)} tokens · ${version.model} (${version.encoding}) · template version ${version.templateVersion} · `, timeElement(version.createdAt)),
      h("details", {}, h("summary", {}, "Prompt text"), h("pre", { class: "prompt-text", tabindex: "0" }, version.promptText)),
      h("h4", {}, "Outputs"), list));
  }
  view.append(section);
}

function uploadForm(versions, onStored) {
  const versionSelect = select("output-version", versions.map((v) => ({ value: v.id, label: `Version ${v.version}` })), versions[0]?.id);
  const text = h("textarea", { id: "output-text", name: "text", rows: "6" });
  const file = h("input", { type: "file", id: "output-file", name: "file" });
  const progress = h("progress", { id: "upload-progress", max: "100", value: "0", "aria-label": "Upload progress" });
  const result = h("div", { id: "upload-result", "aria-live": "polite" });
  const slot = problemSlot();
  const button = h("button", { type: "submit" }, "Upload");
  const form = h("form", { class: "upload-form", novalidate: true },
    field("Prompt version", versionSelect),
    field("Output text", text, { help: "Paste what the assistant produced, or choose a file below." }),
    field("File", file, { help: "At most 5 MiB. Text, PNG, JPEG, GIF, WebP, PDF or ZIP." }),
    slot, h("div", { class: "actions" }, button, progress), result);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearProblems(form, slot);
    clear(result);
    const chosen = file.files?.[0];
    const data = new FormData();
    data.append("promptVersionId", versionSelect.value);
    if (chosen) {
      if (chosen.size > MAX_BYTES) {
        showProblem(slot, { problem: { detail: "The file is larger than 5 MiB.", errors: [{ field: "file", reason: `is ${formatBytes(chosen.size)}; the limit is 5 MiB` }] } }, (f) => (f === "file" ? "output-file" : null));
        return;
      }
      data.append("file", chosen, chosen.name);
    } else {
      // As a Blob, so the bytes are the ones typed: multipart encoding turns every line break
      // of a plain string field into CRLF, which would change the text and its checksum.
      data.append("text", new Blob([text.value], { type: "text/plain;charset=utf-8" }));
    }
    button.disabled = true;
    progress.value = 0;
    try {
      const output = await upload("/outputs", data, (loaded, total) => {
        progress.value = Math.round((loaded / total) * 100);
      });
      progress.value = 100;
      result.append(h("p", { class: "success" }, "Stored."),
        h("dl", { class: "facts" },
          h("dt", {}, "Scan status"), h("dd", {}, output.scanStatus),
          h("dt", {}, "Deduplicated"), h("dd", {}, output.deduplicated ? "yes" : "no"),
          h("dt", {}, "Checksum"), h("dd", { class: "checksum" }, output.checksum),
          h("dt", {}, "Size"), h("dd", {}, formatBytes(output.size)),
          h("dt", {}, "Type"), h("dd", {}, output.contentType)));
      text.value = "";
      file.value = "";
      onStored(output);
    } catch (error) {
      progress.value = 0;
      showProblem(slot, error, (f) => ({ text: "output-text", file: "output-file", promptVersionId: "output-version" })[f]);
    } finally {
      button.disabled = false;
    }
  });
  return h("section", { "aria-labelledby": "upload-heading", class: "card" }, h("h2", { id: "upload-heading" }, "Attach output"), form);
}
