/// The helpers a template can call: handlebars.js' built-ins and Promptsmith's prompt helpers.
public enum Helper: String, Sendable, CaseIterable {
  // Built-in (handlebars.js "known helpers").
  case `if`, unless, each, with, lookup, log
  // Prompt helpers.
  case eq, ne, and, or, not, json, join
  case `default`, upper, lower, truncate, bullets
  /// `{{truncateTokens value N}}`: at most N tokens of the render's encoding.
  case truncateTokens

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
    case .default, .truncate, .truncateTokens: return (2, 2)
    }
  }
}
