// JSON Schema (OpenAPI 3.1) → a readable nested list: each member's name, type, whether it is
// required, its enum, format and limits, its description. With `expand`, `$ref`s are resolved
// into the components and shown in place (request bodies); a schema already being expanded on
// the current path (a cycle) or nested too deep becomes a link to its entry in the "Schemas"
// section instead. Without it every `$ref` is such a link (responses, the Schemas section
// itself), which keeps the page small: ~60 operations must stay quick to draw and to check.
import { h } from "../../lib/dom.js";

const MAX_DEPTH = 5;

export const refName = (ref) => decodeURIComponent(String(ref).split("/").pop().replace(/~1/g, "/").replace(/~0/g, "~"));
export const schemaAnchor = (name) => `schema-${name.replace(/[^A-Za-z0-9_-]/g, "-")}`;

/** The value a local `#/…` JSON pointer names in `doc`, or undefined. */
export function resolvePointer(doc, ref) {
  if (typeof ref !== "string" || !ref.startsWith("#/")) return undefined;
  let node = doc;
  for (const raw of ref.slice(2).split("/")) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (node === null || typeof node !== "object" || !(key in node)) return undefined;
    node = node[key];
  }
  return node;
}

/** Follows `$ref`s (of parameters, responses, request bodies) to the object itself. */
export function deref(doc, value, limit = 10) {
  let node = value;
  for (let n = 0; n < limit && node && typeof node === "object" && typeof node.$ref === "string"; n++) {
    node = resolvePointer(doc, node.$ref);
  }
  return node ?? {};
}

/** A one-paragraph description with its `code spans`: lighter than the Markdown renderer. */
export function inlineText(text) {
  if (!text) return null;
  const parts = String(text).replace(/\s+/g, " ").trim().split("`");
  return parts.length === 1 ? parts[0] : parts.map((part, n) => (n % 2 ? h("code", {}, part) : part));
}

export function schemaLink(name) {
  return h("a", { href: `#${schemaAnchor(name)}` }, name);
}

/** One line of the type: "string (uuid)", "array of User", "string | null", or a schema link. */
export function typeLabel(schema) {
  if (!schema || typeof schema !== "object") return "any";
  if (schema.$ref) return schemaLink(refName(schema.$ref));
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const parts = types.map((t) => {
    if (t === "array") return ["array of ", typeLabel(schema.items)];
    return schema.format && t !== "null" ? `${t} (${schema.format})` : t;
  });
  if (!parts.length) {
    if (schema.const !== undefined) return "constant";
    if (schema.enum) return "enum";
    if (schema.oneOf || schema.anyOf) return "one of";
    if (schema.allOf) return "all of";
    if (schema.properties) return "object";
    return "any";
  }
  return parts.flatMap((p, n) => (n ? [" | ", p] : [p]));
}

const json = (value) => JSON.stringify(value);

/** Limits and other keywords, as short phrases. */
export function constraints(schema) {
  const out = [];
  if (schema.const !== undefined) out.push(`always ${json(schema.const)}`);
  if (schema.enum) out.push(`one of ${schema.enum.map(json).join(", ")}`);
  if (schema.minLength !== undefined) out.push(`at least ${schema.minLength} characters`);
  if (schema.maxLength !== undefined) out.push(`at most ${schema.maxLength} characters`);
  if (schema.minimum !== undefined) out.push(`minimum ${schema.minimum}`);
  if (schema.exclusiveMinimum !== undefined) out.push(`greater than ${schema.exclusiveMinimum}`);
  if (schema.maximum !== undefined) out.push(`maximum ${schema.maximum}`);
  if (schema.exclusiveMaximum !== undefined) out.push(`less than ${schema.exclusiveMaximum}`);
  if (schema.minItems !== undefined) out.push(`at least ${schema.minItems} items`);
  if (schema.maxItems !== undefined) out.push(`at most ${schema.maxItems} items`);
  if (schema.uniqueItems) out.push("unique items");
  if (schema.pattern !== undefined) out.push(`pattern ${schema.pattern}`);
  if (schema.default !== undefined) out.push(`default ${json(schema.default)}`);
  if (schema.additionalProperties === false) out.push("no other members");
  if (schema.readOnly) out.push("read-only");
  if (schema.writeOnly) out.push("write-only");
  if (schema.deprecated) out.push("deprecated");
  if (Array.isArray(schema.examples) && schema.examples.length) out.push(`e.g. ${schema.examples.map(json).join(", ")}`);
  else if (schema.example !== undefined) out.push(`e.g. ${json(schema.example)}`);
  return out;
}

function limits(schema) {
  const list = constraints(schema);
  return list.length ? h("span", { class: "schema-limits" }, ` (${list.join("; ")})`) : null;
}

/** What a schema nests (members, items, alternatives), or null for a scalar. */
function nested(doc, schema, options) {
  if (!schema || typeof schema !== "object") return null;
  if (schema.$ref) return options.expand ? expandRef(doc, schema.$ref, options) : null;
  const deeper = { ...options, depth: options.depth + 1 };
  const parts = [];
  if (schema.properties) {
    const required = new Set(schema.required ?? []);
    parts.push(h("ul", { class: "schema-props" }, Object.entries(schema.properties).map(([name, prop]) => {
      const own = prop && typeof prop === "object" ? prop : {};
      return h("li", {},
        h("code", { class: "prop-name" }, name), " ", typeLabel(own),
        required.has(name) ? h("strong", { class: "required-member" }, " required") : null,
        own.$ref ? null : limits(own), own.description ? [" — ", inlineText(own.description)] : null,
        nested(doc, own, deeper));
    })));
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === "object") {
    parts.push(h("p", { class: "schema-extra" }, "Other members: ", typeLabel(schema.additionalProperties)),
      nested(doc, schema.additionalProperties, deeper));
  }
  if (schema.items && typeof schema.items === "object") {
    const inner = nested(doc, schema.items, deeper);
    if (inner) parts.push(h("div", { class: "schema-items" }, h("p", {}, "Each item:"), inner));
  }
  for (const key of ["oneOf", "anyOf", "allOf"]) {
    if (!Array.isArray(schema[key])) continue;
    const title = { oneOf: "Exactly one of:", anyOf: "Any of:", allOf: "All of:" }[key];
    parts.push(h("div", { class: "schema-alternatives" }, h("p", {}, title),
      h("ol", {}, schema[key].map((alt) => h("li", {}, schemaTree(doc, alt, deeper))))));
  }
  return parts.length ? h("div", { class: "schema-nested" }, parts) : null;
}

function expandRef(doc, ref, options) {
  const name = refName(ref);
  if (options.path.includes(ref) || options.depth > MAX_DEPTH) {
    return h("p", { class: "schema-extra" }, options.path.includes(ref) ? "Recursive: see " : "See ", schemaLink(name), ".");
  }
  const target = resolvePointer(doc, ref);
  if (!target) return h("p", { class: "schema-extra" }, `Unresolved reference ${ref}.`);
  const inner = [limits(target), target.description ? h("p", {}, inlineText(target.description)) : null,
    nested(doc, target, { ...options, path: [...options.path, ref], depth: options.depth + 1 })].filter(Boolean);
  return inner.length ? h("div", { class: "schema-nested" }, inner) : null;
}

/**
 * A whole schema: its type line, limits, description and what it nests. Options: `expand`
 * (resolve `$ref`s in place), `path` (the `$ref`s being expanded, for the cycle guard).
 */
export function schemaTree(doc, schema, { expand = false, path = [], depth = 0 } = {}) {
  const own = schema && typeof schema === "object" ? schema : {};
  return h("div", { class: "schema" },
    h("p", { class: "schema-head" }, typeLabel(own), own.$ref ? null : limits(own),
      !own.$ref && own.description ? [" — ", inlineText(own.description)] : null),
    nested(doc, own, { expand, path, depth }));
}
