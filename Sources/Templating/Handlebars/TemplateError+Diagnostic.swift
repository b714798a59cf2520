extension TemplateError {
  /// The error as a linter diagnostic (`LINE:COL error code message` via `formatted`), for the
  /// CLI and for API responses.
  public var diagnostic: Diagnostic {
    let code: DiagnosticCode
    switch kind {
    case .syntax, .unsupported: code = .syntaxError
    case .unclosedBlock: code = .unclosedBlock
    case .mismatchedBlock: code = .mismatchedBlock
    case .missingPartial: code = .missingPartial
    case .circularPartial, .partialDepth: code = .circularPartial
    case .render: code = .renderError
    case .limitExceeded: code = .limitExceeded
    }
    let place = partial.map { "in partial '\($0)': " } ?? ""
    return Diagnostic(
      severity: .error, code: code, message: place + message, line: line, column: column,
      limit: limit)
  }
}
