import Vapor

/// A template lint finding as the API shows it.
struct DiagnosticResponse: Content, Equatable {
  let severity: String
  let code: String
  let message: String
  let line: Int
  let column: Int
  /// The budget that ran out, for `render-limit-exceeded` only.
  var limit: String? = nil
}
