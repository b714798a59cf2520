import Foundation
import Templating
import Vapor

/// Checks a JSON request body against its operation's schema in openapi.yaml before the handler
/// runs, reporting every violation at once: 400 when the shape is wrong (a wrong type, a
/// missing member — as the handlers' own decoding answers), else 422 (a rule such as a length,
/// a range, an enum or an unknown member).
struct RequestValidationMiddleware: AsyncMiddleware {
  let schemas: RequestBodySchemas

  func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
    guard [.POST, .PUT, .PATCH].contains(request.method),
      let type = request.headers.contentType,
      type == .json || (type.type == "application" && type.subType.hasSuffix("+json")),
      let schema = schemas.schema(method: request.method.rawValue, path: request.url.path)
    else { return try await next.respond(to: request) }
    let body = try await request.body.collect(
      max: request.application.routes.defaultMaxBodySize.value
    ).get()
    guard let body, body.readableBytes > 0 else { return try await next.respond(to: request) }
    if JSONDepth.exceeds(body) {
      throw AppError.badRequest(
        "nests arrays and objects deeper than \(JSONDepth.maximum) levels", field: "body")
    }
    let value: JSONValue
    do {
      value = try JSONValue(parsing: Data(buffer: body))
    } catch {
      throw AppError.badRequest("is not valid JSON (\(error.description))", field: "body")
    }
    let violations = schema.validate(value)
    guard !violations.isEmpty else { return try await next.respond(to: request) }
    let errors = violations.map(Self.fieldError)
    let shapeIsWrong = violations.contains {
      $0.reason.hasPrefix("missing required property") || $0.reason.contains(", got ")
    }
    guard shapeIsWrong else { throw AppError.validation(errors) }
    throw AppError(
      .badRequest, type: "bad-request", title: "Bad request",
      detail: errors.map { "\($0.field) \($0.reason)" }.joined(separator: "; "), errors: errors)
  }

  /// A violation as a problem's field error: the pointer as a dotted path (`auth.token`,
  /// `items[0]`), with the member itself named for a missing or unexpected one.
  static func fieldError(_ violation: SchemaViolation) -> ProblemDetails.FieldError {
    var tokens = violation.pointer.split(separator: "/", omittingEmptySubsequences: true)
      .map {
        $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
      }
    var reason = violation.reason
    for prefix in ["missing required property ", "unexpected property "]
    where reason.hasPrefix(prefix) {
      let quoted = reason.dropFirst(prefix.count)
      if let name = try? JSONValue(parsing: String(quoted)).stringValue {
        tokens.append(name)
        reason = prefix.hasPrefix("missing") ? "is required" : "is not a known field"
      }
    }
    var field = ""
    for token in tokens {
      if let index = Int(token) {
        field += "[\(index)]"
      } else {
        field += field.isEmpty ? token : ".\(token)"
      }
    }
    return .init(field: field.isEmpty ? "body" : field, reason: reason)
  }
}
