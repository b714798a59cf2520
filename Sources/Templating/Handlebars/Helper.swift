/// The helpers a template can call: handlebars.js' built-ins and Promptsmith's prompt helpers.
public enum Helper: String, Sendable, CaseIterable {
  // Built-in (handlebars.js "known helpers").
  case `if`, unless, each, with, lookup, log
  // Prompt helpers.
  case eq, ne, and, or, not, json, join
  case `default`, upper, lower, truncate, bullets

  /// handlebars.js compiles calls to these directly (`knownHelpers`).
  var isKnown: Bool {
    switch self {
    case .if, .unless, .each, .with, .lookup, .log: return true
    default: return false
    }
  }

  /// Whether the helper is used as a block (`{{#if}}`) rather than inline.
  public var isBlockHelper: Bool {
    switch self {
    case .if, .unless, .each, .with: return true
    default: return false
    }
  }

  /// Accepted number of positional arguments (upper bound nil: any).
  public var arity: (min: Int, max: Int?) {
    switch self {
    case .if, .unless, .each, .with: return (1, 1)
    case .lookup: return (2, 2)
    case .log: return (0, nil)
    case .eq, .ne: return (2, 2)
    case .and, .or: return (2, nil)
    case .not, .json, .upper, .lower, .bullets: return (1, 1)
    case .join: return (1, 2)
    case .default, .truncate: return (2, 2)
    }
  }

  /// One line of documentation, for the linter and the docs.
  public var summary: String {
    switch self {
    case .if: return "{{#if value}}…{{else}}…{{/if}}: renders the block when value is truthy"
    case .unless: return "{{#unless value}}…{{/unless}}: the opposite of if"
    case .each: return "{{#each list}}…{{else}}…{{/each}}: once per item or key"
    case .with: return "{{#with value}}…{{/with}}: changes the context"
    case .lookup: return "lookup object key: the member named by a value"
    case .log: return "log …: does nothing (prompts have no console)"
    case .eq: return "eq a b: true when a and b are equal (deep, no type coercion)"
    case .ne: return "ne a b: the opposite of eq"
    case .and: return "and a b …: true when every value is truthy"
    case .or: return "or a b …: true when any value is truthy"
    case .not: return "not a: true when a is falsy"
    case .json: return "json value: the value as pretty JSON"
    case .join: return "join list sep: the items joined with sep (default \", \")"
    case .default: return "default value fallback: fallback when value is missing or empty"
    case .upper: return "upper text: upper case"
    case .lower: return "lower text: lower case"
    case .truncate: return "truncate text n: the first n characters, then … when cut"
    case .bullets: return "bullets list: one \"- item\" line per item"
    }
  }
}
