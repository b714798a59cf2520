import Foundation
import Templating
import Vapor

/// Checks a request's query parameters and JSON body against its operation in openapi.yaml
/// before the handler runs (public operations here; the others in `RequireRole`, after the
/// caller is admitted), reporting every violation at once: 400 when the shape is wrong (a wrong
/// type, a missing member — as the handlers' own decoding answers), else 422 (a rule such as a
/// length, a range, an enum or an unknown member).
struct RequestValidationMiddleware: AsyncMiddleware {
  func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
    try await request.validateAgainstContract(publicOperations: true)
    return try await next.respond(to: request)
  }

  /// The problem for a non-empty list of violations.
  static func problem(_ violations: [SchemaViolation]) -> AppError {
    let errors = violations.map(fieldError)
    let shapeIsWrong = violations.contains {
      $0.reason.hasPrefix("missing required property") || $0.reason.contains(", got ")
    }
    guard shapeIsWrong else { return AppError.validation(errors) }
    return AppError(
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

extension Request {
  /// Checks the query and the JSON body of a public operation (`publicOperations`, from the
  /// global middleware) or of a protected one (from `RequireRole`, once the caller is
  /// admitted).
  func validateAgainstContract(publicOperations: Bool) async throws {
    guard let operation = contractOperation, operation.isPublic == publicOperations
    else { return }
    if let query = operation.query {
      let violations = query.violations { self.query[String.self, at: $0] }
      if !violations.isEmpty { throw RequestValidationMiddleware.problem(violations) }
    }
    if let schema = operation.body { try await validateBody(against: schema) }
  }

  private struct ContractOperationKey: StorageKey {
    /// Nil inside when the request matches no operation with a body or query parameters.
    typealias Value = RequestSchemas.Operation?
  }

  /// The request's operation in openapi.yaml, looked up once: the global middleware and
  /// `RequireRole` both ask.
  private var contractOperation: RequestSchemas.Operation? {
    if let looked = storage[ContractOperationKey.self] { return looked }
    let operation = application.requestSchemas?.operation(method: method.rawValue, path: url.path)
    storage[ContractOperationKey.self] = .some(operation)
    return operation
  }

  /// Every non-empty body of an operation that takes JSON is checked, whatever its headers say:
  /// one without a JSON media type is a 415, never a body that reaches a handler unchecked.
  /// An empty body (`POST /trackers/:id/sync`) needs no `Content-Type`.
  private func validateBody(against schema: JSONSchema) async throws {
    guard [.POST, .PUT, .PATCH].contains(method) else { return }
    let limit = application.routes.defaultMaxBodySize.value
    let body = try await self.body.collect(max: limit).get()
    guard let body, body.readableBytes > 0 else { return }
    guard headers.hasJSONContentType else { throw AppError.bodyIsNotJSON(headers) }
    // A body already collected (in-memory requests) skips collect's own size check.
    guard body.readableBytes <= limit else {
      throw Abort(.payloadTooLarge, reason: "The body is larger than \(limit) bytes.")
    }
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
    let violations = schema.validate(value) + NULCharacter.violations(in: value)
    if !violations.isEmpty { throw RequestValidationMiddleware.problem(violations) }
  }
}
