import Templating
import Vapor

/// An RFC 9457 problem document, the body of every error response.
struct ProblemDetails: Content {
  struct FieldError: Content, Equatable {
    let field: String
    let reason: String
  }

  var type: String
  var title: String
  var status: Int
  var detail: String?
  var errors: [FieldError]?
  /// A template's lint findings, with positions, when a template is refused.
  var diagnostics: [DiagnosticResponse]?
  /// The budget a template ran out of, for `render-limit-exceeded`.
  var limit: String?
  /// Who may approve, for `review-required`.
  var approvers: [Approver]?
  /// For `token-budget-exceeded`: the prompt's tokens, the budget, and the costliest variables.
  var tokens: Int?
  var maxTokens: Int?
  var largest: [TokenCost]?

  struct TokenCost: Content, Equatable {
    let name: String
    let tokens: Int
  }

  /// A lead or admin who may move a protected label.
  struct Approver: Content, Equatable {
    let id: String
    let name: String
    let email: String
  }

  static let contentType = HTTPMediaType(type: "application", subType: "problem+json")
}

/// A failure our code knows how to explain to the client.
struct AppError: Error, AbortError {
  let status: HTTPResponseStatus
  let type: String
  let title: String
  let detail: String?
  var errors: [ProblemDetails.FieldError]
  var headers: HTTPHeaders = [:]
  var diagnostics: [DiagnosticResponse]?
  /// For `render-limit-exceeded`: which budget ran out.
  var limit: RenderLimit?
  /// For `review-required`: who may approve instead.
  var approvers: [ProblemDetails.Approver]?
  /// For `token-budget-exceeded`.
  var tokens: Int?
  var maxTokens: Int?
  var largest: [ProblemDetails.TokenCost]?

  var reason: String { detail ?? title }

  init(
    _ status: HTTPResponseStatus, type: String, title: String, detail: String? = nil,
    errors: [ProblemDetails.FieldError] = [], headers: HTTPHeaders = [:]
  ) {
    self.status = status
    self.type = type
    self.title = title
    self.detail = detail
    self.errors = errors
    self.headers = headers
  }

  static func validation(_ errors: [ProblemDetails.FieldError]) -> AppError {
    AppError(
      .unprocessableEntity, type: "validation-failed", title: "Validation failed",
      detail: errors.map { "\($0.field): \($0.reason)" }.joined(separator: "; "), errors: errors)
  }

  static func validation(field: String, reason: String) -> AppError {
    validation([.init(field: field, reason: reason)])
  }

  static func badRequest(_ detail: String, field: String? = nil) -> AppError {
    AppError(
      .badRequest, type: "bad-request", title: "Bad request", detail: detail,
      errors: field.map { [.init(field: $0, reason: detail)] } ?? [])
  }

  static let unauthorized = AppError(
    .unauthorized, type: "unauthorized", title: "Unauthorized",
    detail: "A valid access token is required.",
    headers: ["WWW-Authenticate": "Bearer realm=\"promptsmith\""])

  static func forbidden(_ detail: String) -> AppError {
    AppError(.forbidden, type: "forbidden", title: "Forbidden", detail: detail)
  }

  static func notFound(_ what: String) -> AppError {
    AppError(.notFound, type: "not-found", title: "Not found", detail: "\(what) not found.")
  }

  static func conflict(_ detail: String) -> AppError {
    AppError(.conflict, type: "conflict", title: "Conflict", detail: detail)
  }
}

extension ProblemDetails {
  /// The document of an error our code explains (HTTP responses and MCP tool failures alike).
  init(_ error: AppError) {
    self.init(
      type: error.type, title: error.title, status: Int(error.status.code), detail: error.detail,
      errors: error.errors.isEmpty ? nil : error.errors, diagnostics: error.diagnostics,
      limit: error.limit?.rawValue, approvers: error.approvers, tokens: error.tokens,
      maxTokens: error.maxTokens, largest: error.largest)
  }
}
