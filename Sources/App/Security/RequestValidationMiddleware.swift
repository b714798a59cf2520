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
      switch $0.kind {
      case .wrongType, .missingProperty: true
      case .unexpectedProperty, .rule: false
      }
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
    switch violation.kind {
    case .missingProperty(let name):
      tokens.append(name)
      reason = "is required"
    case .unexpectedProperty(let name):
      tokens.append(name)
      reason = "is not a known field"
    case .wrongType, .rule:
      break
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
    let value = try parsedBody(body)
    let violations = schema.validate(value) + NULCharacter.violations(in: value)
    if !violations.isEmpty { throw RequestValidationMiddleware.problem(violations) }
    storage[ValidatedBodyKey.self] = value
  }

  /// Request bodies nest far less than this; the parser's own limit only protects the stack.
  static let maximumBodyDepth = 32

  private struct ValidatedBodyKey: StorageKey {
    typealias Value = JSONValue
  }

  private struct ParsedBodyKey: StorageKey {
    typealias Value = JSONValue
  }

  /// The JSON of `buffer`, the request's body, parsed once per request: a route's read beside
  /// the session (`GenerationSourcesRead`) and the contract check both ask for it.
  func parsedBody(_ buffer: ByteBuffer) throws -> JSONValue {
    if let parsed = storage[ParsedBodyKey.self] { return parsed }
    let parsed = try Self.parseBody(buffer)
    storage[ParsedBodyKey.self] = parsed
    return parsed
  }

  /// The JSON body, parsed once: as the contract check parsed and validated it, or parsed here
  /// for an operation openapi.yaml gives no body schema (an application built without the
  /// contract, in tests).
  func jsonBody() throws -> JSONValue {
    if let validated = storage[ValidatedBodyKey.self] { return validated }
    guard headers.hasJSONContentType else { throw AppError.bodyIsNotJSON(headers) }
    guard let buffer = body.data, buffer.readableBytes > 0 else {
      throw AppError.badRequest("a JSON object is required", field: "body")
    }
    return try parsedBody(buffer)
  }

  /// A body's JSON, held to `maximumBodyDepth`, or a 400 saying what is wrong with it.
  private static func parseBody(_ buffer: ByteBuffer) throws -> JSONValue {
    do {
      return try JSONValue(parsing: Data(buffer: buffer), maximumDepth: maximumBodyDepth)
    } catch  where error.kind == .tooDeep {
      throw AppError.badRequest(
        "nests arrays and objects deeper than \(maximumBodyDepth) levels", field: "body")
    } catch {
      throw AppError.badRequest("is not valid JSON (\(error.description))", field: "body")
    }
  }

  /// The JSON body as a typed value, decoded from the parsed body without parsing it again.
  func decodeBody<Body: Decodable>(_ type: Body.Type) throws -> Body {
    try JSONValueDecoder().decode(type, from: try jsonBody())
  }
}
