// The API reference at /docs (public): every operation of /openapi.json, grouped by tag, with a
// table of contents of in-page anchors; for each one its method and path, summary, description
// (Markdown), authentication and role, parameters, request body and responses with their schemas
// ($refs resolved, cycles guarded) and examples. Nothing is fetched but /openapi.json: it works
// offline. Each operation is <article id="op-<operationId>" data-path data-method>.
import { get } from "../lib/api.js";
import { append, h } from "../lib/dom.js";
import { renderMarkdown } from "../lib/markdown.js";
import { deref, inlineText, refName, schemaAnchor, schemaTree, typeLabel } from "./reference/schema.js";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const responseAnchor = (name) => `response-${name.replace(/[^A-Za-z0-9_-]/g, "-")}`;
const slug = (text) => String(text).replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-|-$/g, "");

export function operationAnchor(op, method, path) {
  return op.operationId ? `op-${slug(op.operationId)}` : `op-${method}-${slug(path)}`;
}

/** Every operation, in the document's order: {path, method, op, params}. */
function operations(doc) {
  const list = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    const shared = (item.parameters ?? []).map((p) => deref(doc, p));
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      // Operation parameters override path parameters with the same name and location.
      const own = (op.parameters ?? []).map((p) => deref(doc, p));
      const key = (p) => `${p.in}:${p.name}`;
      const params = [...shared.filter((p) => !own.some((o) => key(o) === key(p))), ...own];
      list.push({ path, method, op, params });
    }
  }
  return list;
}

/** "Bearer token" / "none (public)", from the operation's or the document's security. */
function securityText(doc, op) {
  const requirements = op.security ?? doc.security ?? [];
  if (!requirements.length || requirements.every((r) => !Object.keys(r).length)) return "None: public";
  const schemes = doc.components?.securitySchemes ?? {};
  const name = (key) => {
    const s = schemes[key] ?? {};
    if (s.type === "http" && s.scheme === "bearer") return `Bearer token (${key})`;
    if (s.type === "apiKey") return `${s.in} ${s.name} (${key})`;
    return key;
  };
  return requirements.map((r) => Object.keys(r).map(name).join(" and ")).join(", or ");
}

/** The least role, from an `x-role` extension or the summary's "(admin)", "(lead+ writes)"… */
function roleText(doc, op) {
  if (op["x-role"]) return String(op["x-role"]);
  if ((op.security ?? doc.security ?? []).length === 0) return "anyone";
  const match = /\((admin|lead\+?|developer\+?)\b[^)]*\)/.exec(op.summary ?? "");
  return match ? match[0].slice(1, -1) : "any signed-in user";
}

function exampleBlocks(media) {
  const blocks = [];
  const show = (title, value) => blocks.push(h("p", { class: "example-title" }, title),
    h("pre", { class: "prompt-text example", tabindex: "0", "aria-label": title }, typeof value === "string" ? value : JSON.stringify(value, null, 2)));
  if (media.example !== undefined) show("Example", media.example);
  for (const [name, example] of Object.entries(media.examples ?? {})) {
    const value = example?.value ?? example?.externalValue;
    if (value !== undefined) show(`Example: ${example.summary ?? name}`, value);
  }
  return blocks;
}

/** A request body's content: every media type with its schema expanded ($refs resolved). */
function bodyBlocks(doc, content) {
  return Object.entries(content ?? {}).map(([type, media]) => h("div", { class: "media" },
    h("p", {}, "Content type ", h("code", {}, type)),
    media?.schema ? schemaTree(doc, media.schema, { expand: true }) : null,
    exampleBlocks(media ?? {})));
}

/**
 * A response's content on one line when its schema is a named one (a link to it under
 * "Schemas"), an inline schema drawn below it; examples after. Error answers are all alike
 * (problem+json, Problem): one short line each keeps the page light.
 */
function responseContent(doc, content) {
  return Object.entries(content ?? {}).map(([type, media]) => {
    const schema = media?.schema;
    const named = schema && (schema.$ref || (schema.type === "array" && schema.items?.$ref));
    return [
      " · ", h("code", {}, type), named ? [" · ", typeLabel(schema)] : null,
      schema && !named ? schemaTree(doc, schema) : null,
      exampleBlocks(media ?? {}),
    ];
  });
}

/** Parameters as a list (lighter than a table): name, location, required, type, limits, text. */
function parameterList(doc, params) {
  return h("ul", { class: "params" }, params.map((p) => h("li", { dataset: { param: p.name, in: p.in } },
    h("code", { class: "prop-name" }, p.name), ` (${p.in}, ${p.required ? "required" : "optional"}) `,
    p.schema ? [typeLabel(p.schema), constraintLine(p.schema)] : null,
    p.description ? [" — ", inlineText(p.description)] : null,
    p.schema?.description && p.schema.description !== p.description ? [" ", inlineText(p.schema.description)] : null)));
}

function constraintLine(schema) {
  const words = [];
  if (schema.enum) words.push(`one of ${schema.enum.join(", ")}`);
  if (schema.minimum !== undefined) words.push(`min ${schema.minimum}`);
  if (schema.maximum !== undefined) words.push(`max ${schema.maximum}`);
  if (schema.minLength !== undefined) words.push(`min length ${schema.minLength}`);
  if (schema.maxLength !== undefined) words.push(`max length ${schema.maxLength}`);
  if (schema.default !== undefined) words.push(`default ${JSON.stringify(schema.default)}`);
  if (Array.isArray(schema.examples)) words.push(`e.g. ${schema.examples.join(", ")}`);
  return words.length ? ` (${words.join("; ")})` : null;
}

function operationArticle(doc, { path, method, op, params }) {
  const id = operationAnchor(op, method, path);
  const parts = [
    h("h3", { id: `${id}-title` }, h("span", { class: `method method-${method}` }, method.toUpperCase()), " ", h("code", { class: "path" }, path)),
    op.summary ? h("p", { class: "summary" }, op.summary) : null,
    op.deprecated ? h("p", { class: "badge badge-warning" }, "Deprecated") : null,
    op.description ? h("div", { class: "markdown" }, renderMarkdown(op.description, { headingOffset: 3 })) : null,
    h("p", { class: "op-facts" }, `Authentication: ${securityText(doc, op)} · Role: ${roleText(doc, op)}`,
      op.operationId ? [" · Operation id: ", h("code", {}, op.operationId)] : null),
  ];
  if (params.length) parts.push(h("h4", {}, "Parameters"), parameterList(doc, params));
  if (op.requestBody) {
    const body = deref(doc, op.requestBody);
    parts.push(h("h4", {}, "Request body"),
      h("p", {}, body.required ? "Required." : "Optional.", body.description ? [" ", inlineText(body.description)] : null),
      bodyBlocks(doc, body.content));
  }
  const responses = Object.entries(op.responses ?? {});
  if (responses.length) {
    // The shared answers (components/responses: the errors, mostly) are links to one entry
    // each under "Common responses"; the operation's own answers are drawn here.
    const own = responses.filter(([, r]) => !r?.$ref);
    const shared = responses.filter(([, r]) => r?.$ref);
    parts.push(h("h4", {}, "Responses"), h("ul", { class: "responses" },
      own.map(([status, response]) => {
        const headers = Object.entries(response.headers ?? {}).map(([name, header]) => {
          const resolved = deref(doc, header);
          return [" ", h("code", {}, name), resolved.description ? [": ", inlineText(resolved.description)] : null];
        });
        return h("li", { class: "response", dataset: { status } },
          h("strong", { class: "status-code" }, status), " ", inlineText(response.description ?? ""),
          headers.length ? [" · Headers:", headers] : null,
          responseContent(doc, response.content));
      }),
      shared.length ? h("li", { class: "response-refs" }, "Also: ", shared.map(([status, ref], n) => [n ? ", " : "",
        h("a", { href: `#${responseAnchor(refName(ref.$ref))}`, class: "response", dataset: { status } }, `${status} ${refName(ref.$ref)}`)])) : null));
  }
  return h("article", { class: "operation", id, "aria-labelledby": `${id}-title`, dataset: { path, method } }, parts);
}

export async function render(view) {
  const doc = await get("/openapi.json");
  const ops = operations(doc);
  // Tags in the document's order, then any the operations use without declaring them.
  const tagNames = (doc.tags ?? []).map((t) => t.name);
  for (const { op } of ops) for (const t of op.tags ?? []) if (!tagNames.includes(t)) tagNames.push(t);
  const groups = [...tagNames, "other"].map((name) => ({
    name,
    description: (doc.tags ?? []).find((t) => t.name === name)?.description,
    ops: ops.filter(({ op }) => (name === "other" ? !op.tags?.length : op.tags?.[0] === name)),
  })).filter((g) => g.ops.length);

  const contents = h("nav", { class: "toc", "aria-labelledby": "toc-heading" },
    h("h2", { id: "toc-heading" }, "Contents"),
    h("ul", {}, groups.map((g) => h("li", {}, h("a", { href: `#tag-${slug(g.name)}` }, g.name),
      h("ul", {}, g.ops.map(({ path, method, op }) => h("li", {},
        h("a", { href: `#${operationAnchor(op, method, path)}` }, `${method.toUpperCase()} ${path}`),
        op.summary ? h("span", { class: "meta" }, ` — ${op.summary}`) : null)))))),
    h("p", {}, h("a", { href: "#common-responses" }, "Common responses"), " · ", h("a", { href: "#schemas" }, "Schemas")));

  const schemas = Object.entries(doc.components?.schemas ?? {});
  const common = Object.entries(doc.components?.responses ?? {});
  append(view, [
    h("h1", {}, "API reference"),
    h("p", { class: "lead-text" }, `${doc.info?.title ?? "API"} ${doc.info?.version ?? ""} · OpenAPI ${doc.openapi ?? ""} · ${ops.length} operations · `,
      h("a", { href: "/openapi.yaml" }, "openapi.yaml"), " · ", h("a", { href: "/openapi.json" }, "openapi.json")),
    doc.info?.description ? h("div", { class: "markdown" }, renderMarkdown(doc.info.description, { headingOffset: 2 })) : null,
    contents,
    groups.map((g) => h("section", { class: "tag-group", id: `tag-${slug(g.name)}`, "aria-labelledby": `tag-${slug(g.name)}-heading` },
      h("h2", { id: `tag-${slug(g.name)}-heading` }, g.name),
      g.description ? h("p", {}, inlineText(g.description)) : null,
      g.ops.map((o) => operationArticle(doc, o)))),
    h("section", { id: "common-responses", "aria-labelledby": "common-responses-heading" },
      h("h2", { id: "common-responses-heading" }, "Common responses"),
      common.map(([name, response]) => h("article", { class: "schema-entry", id: responseAnchor(name), "aria-labelledby": `${responseAnchor(name)}-title` },
        h("h3", { id: `${responseAnchor(name)}-title` }, name),
        h("p", {}, inlineText(response.description ?? ""),
          Object.keys(response.headers ?? {}).length ? [" Headers: ", Object.keys(response.headers).map((k, n) => [n ? ", " : "", h("code", {}, k)])] : null,
          responseContent(doc, response.content))))),
    h("section", { id: "schemas", "aria-labelledby": "schemas-heading" },
      h("h2", { id: "schemas-heading" }, "Schemas"),
      schemas.map(([name, schema]) => h("article", { class: "schema-entry", id: schemaAnchor(name), "aria-labelledby": `${schemaAnchor(name)}-title` },
        h("h3", { id: `${schemaAnchor(name)}-title` }, name),
        schemaTree(doc, schema, { path: [`#/components/schemas/${name}`] })))),
  ]);
}
