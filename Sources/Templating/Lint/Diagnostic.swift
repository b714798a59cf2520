/// A problem the linter found in a template.
public struct Diagnostic: Sendable, Hashable, Codable {
  /// Errors make the service refuse to save the template; warnings are only shown.
  public enum Severity: String, Sendable, Hashable, Codable {
    case error, warning
  }

  /// How bad it is.
  public var severity: Severity
  /// A stable code (see `DiagnosticCode`), e.g. `undefined-variable`.
  public var code: String
  /// A sentence for people.
  public var message: String
  /// 1-based line in the template (1 for problems of the schema itself).
  public var line: Int
  /// 1-based column, in Unicode scalars.
  public var column: Int
  /// The budget that ran out, for `render-limit-exceeded` only; absent from the JSON otherwise.
  public var limit: RenderLimit?

  /// Creates a diagnostic.
  public init(
    severity: Severity, code: DiagnosticCode, message: String, line: Int, column: Int,
    limit: RenderLimit? = nil
  ) {
    self.severity = severity
    self.code = code.rawValue
    self.message = message
    self.line = line
    self.column = column
    self.limit = limit
  }

  /// `LINE:COL severity code message`, the CLI's output format.
  public var formatted: String { "\(line):\(column) \(severity.rawValue) \(code) \(message)" }

  /// Whether this diagnostic blocks saving.
  public var isError: Bool { severity == .error }
}

/// The linter's codes.
public enum DiagnosticCode: String, Sendable, CaseIterable {
  /// The template does not parse (includes unsupported constructs such as raw blocks).
  case syntaxError = "syntax-error"
  /// A block is opened and never closed.
  case unclosedBlock = "unclosed-block"
  /// A block is closed with another name, or a closing tag closes nothing.
  case mismatchedBlock = "mismatched-block"
  /// A path that neither the built-in issue variables nor the schema declare.
  case undefinedVariable = "undefined-variable"
  /// A schema property the template never uses (warning).
  case unusedVariable = "unused-variable"
  /// A call of a helper that does not exist.
  case unknownHelper = "unknown-helper"
  /// A helper called with the wrong number of arguments.
  case wrongArity = "wrong-arity"
  /// A block helper used inline (`{{if x}}`, an error) or an inline helper used as a block
  /// (`{{#upper x}}…`, a warning: the block is ignored).
  case misusedHelper = "misused-helper"
  /// A partial name no template has.
  case missingPartial = "missing-partial"
  /// A partial that includes itself, directly or through others.
  case circularPartial = "circular-partial"
  /// The variable schema is not a valid (supported) JSON Schema.
  case invalidSchema = "invalid-schema"
  /// A schema property named like a built-in issue variable.
  case shadowedBuiltin = "shadowed-builtin"
  /// The template's fixed text alone is over its token budget (warning; found by the service,
  /// which knows the budget and the tokenizer).
  case overTokenBudget = "over-token-budget"
  /// Not a lint finding: a render failure (a helper misused at run time), for `TemplateError`.
  case renderError = "render-error"
  /// A budget of `RenderLimits` ran out (nesting, partial inclusions, time…); the diagnostic's
  /// `limit` says which.
  case limitExceeded = "render-limit-exceeded"
}
