// Builds form controls from a template's JSON Schema (its `lintJson`) and reads them back as
// the `vars` object. One control per top-level property, id `var-<name>`: string → text input
// (textarea when long), enum → select, boolean → checkbox, number/integer → number input,
// array of strings → textarea with one item per line, anything else → a JSON textarea.
// Defaults fill the controls, `description` becomes help text, `required` is marked.
// The browser's own validation stays off: the server's violations are shown beside each field.
import { field, h } from "./dom.js";

/** The first non-null type of a schema (`["string", "null"]` → "string"). */
function typeOf(schema) {
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== "null") ?? "null";
  if (schema.type) return schema.type;
  if (schema.enum) return typeof schema.enum[0] === "number" ? "number" : "string";
  if (schema.const !== undefined) return typeof schema.const;
  return "json";
}

/** A control id for a property name: `var-` plus the name with unsafe characters replaced. */
export function controlId(name) {
  return `var-${String(name).replace(/[^A-Za-z0-9_-]/g, "_")}`;
}

function kindOf(schema) {
  const type = typeOf(schema);
  if (Array.isArray(schema.enum)) return "enum";
  if (type === "boolean") return "boolean";
  if (type === "integer" || type === "number") return type;
  if (type === "array" && typeOf(schema.items ?? {}) === "string" && !schema.items?.enum) return "strings";
  if (type === "string") return "string";
  return "json";
}

function control(name, schema, required) {
  const id = controlId(name);
  const kind = kindOf(schema);
  const value = schema.default;
  switch (kind) {
    case "enum": {
      const options = schema.enum.map((v, n) => h("option", { value: String(n), selected: value !== undefined && JSON.stringify(v) === JSON.stringify(value) }, String(v)));
      if (!required || value === undefined) options.unshift(h("option", { value: "", selected: value === undefined }, "— choose —"));
      return h("select", { id, name }, options);
    }
    case "boolean":
      return h("input", { type: "checkbox", id, name, checked: value === true });
    case "integer":
    case "number":
      return h("input", {
        type: "number", id, name, inputmode: kind === "integer" ? "numeric" : "decimal",
        step: kind === "integer" ? "1" : "any", min: schema.minimum, max: schema.maximum,
        value: value !== undefined ? String(value) : "",
      });
    case "strings":
      return h("textarea", { id, name, rows: "3", value: Array.isArray(value) ? value.join("\n") : "" });
    case "string":
      // Long text (a declared maxLength over 200, or Markdown) gets room to write.
      return (schema.maxLength ?? 0) > 200 || schema.format === "markdown"
        ? h("textarea", { id, name, rows: "3", value: value ?? "" })
        : h("input", { type: "text", id, name, value: value ?? "", maxlength: schema.maxLength });
    default:
      return h("textarea", { id, name, rows: "4", class: "code", spellcheck: "false", value: value !== undefined ? JSON.stringify(value, null, 2) : "" });
  }
}

function helpFor(schema, kind) {
  const parts = [];
  if (schema.description) parts.push(schema.description);
  if (kind === "strings") parts.push("One item per line.");
  if (kind === "json") parts.push("A JSON value.");
  return parts.join(" ") || undefined;
}

/**
 * Builds the controls for `schema` into `container` and returns a reader:
 * `read()` → the vars object (empty optional controls are left out, so the server's defaults
 * and "required" checks apply).
 */
export function buildSchemaForm(container, schema) {
  const properties = schema && typeof schema === "object" && schema.properties && typeof schema.properties === "object" ? schema.properties : {};
  const required = new Set(Array.isArray(schema?.required) ? schema.required : []);
  const readers = [];
  for (const [name, propSchema] of Object.entries(properties)) {
    const prop = propSchema && typeof propSchema === "object" ? propSchema : {};
    const kind = kindOf(prop);
    const input = control(name, prop, required.has(name));
    if (required.has(name)) input.setAttribute("aria-required", "true");
    const label = prop.title ? `${prop.title} (${name})` : name;
    const wrapper = field(label, input, { help: helpFor(prop, kind), required: required.has(name) });
    if (kind === "boolean") wrapper.classList.add("field-checkbox");
    container.append(wrapper);
    readers.push(() => [name, readControl(input, kind, prop)]);
  }
  if (!readers.length) container.append(h("p", { class: "help" }, "This template has no variables of its own."));
  return {
    read() {
      const vars = {};
      for (const reader of readers) {
        const [name, value] = reader();
        if (value !== undefined) vars[name] = value;
      }
      return vars;
    },
  };
}

function readControl(input, kind, schema) {
  const raw = input.value;
  switch (kind) {
    case "enum":
      return raw === "" ? undefined : schema.enum[Number(raw)];
    case "boolean":
      return input.checked;
    case "integer":
    case "number":
      if (raw.trim() === "") return undefined;
      // A non-number goes as typed, so the server names the violation beside the field.
      return Number.isFinite(Number(raw)) ? Number(raw) : raw;
    case "strings": {
      const items = raw.split("\n").map((s) => s.trim()).filter(Boolean);
      return items.length ? items : undefined;
    }
    case "string":
      return raw === "" ? undefined : raw;
    default:
      if (raw.trim() === "") return undefined;
      try {
        return JSON.parse(raw);
      } catch {
        return raw;
      }
  }
}

/** Maps a server field (`vars/topic`, `vars/tags/0`) to its control id. */
export function controlForVarsField(field) {
  const m = String(field).match(/^\/?vars\/([^/]+)/);
  if (!m) return null;
  const name = m[1].replace(/~1/g, "/").replace(/~0/g, "~");
  return controlId(name);
}

/** Sample vars for the template editor's preview: defaults, else the first example or enum. */
export function sampleVars(schema) {
  const vars = {};
  for (const [name, prop] of Object.entries(schema?.properties ?? {})) {
    if (!prop || typeof prop !== "object") continue;
    if (prop.default !== undefined) vars[name] = prop.default;
    else if (Array.isArray(prop.examples) && prop.examples.length) vars[name] = prop.examples[0];
    else if (Array.isArray(prop.enum)) vars[name] = prop.enum[0];
    else {
      const t = typeOf(prop);
      vars[name] = t === "boolean" ? true : t === "integer" || t === "number" ? (prop.minimum ?? 1) : t === "array" ? ["example"] : t === "object" ? {} : `example ${name}`;
    }
  }
  return vars;
}
