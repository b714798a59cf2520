import AsyncKit
import Fluent
import Vapor

/// Renders every error as RFC 9457 problem+json, so that no stack trace, SQL or framework
/// message reaches a client, and a known path called with the wrong method answers 405.
struct ProblemErrorMiddleware: AsyncMiddleware {
  func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
    do {
      return try await next.respond(to: request)
    } catch {
      return problemResponse(for: error, request: request)
    }
  }

  /// 405 with `Allow` when the path belongs to routes of other methods only (the most specific
  /// ones), whether the router found no route (`PUT /users`) or a parameter route of this
  /// method took it and found nothing: `GET /prompts/generate` reaches `GET /prompts/:promptID`,
  /// but the path is `POST /prompts/generate`'s.
  /// Any refusal counts, not only 404: `PATCH /prompt-templates/lint` reaches
  /// `PATCH /prompt-templates/:templateID`, whose body check refuses it first.
  private func wrongMethod(_ error: any Error, request: Request) -> AppError? {
    let status = (error as? any AbortError)?.status.code ?? 0
    guard error is RouteNotFound || (400..<500).contains(status), status != 405 else {
      return nil
    }
    let allowed = MethodsForPath.allowed(for: request)
    guard !allowed.isEmpty, !allowed.contains(request.method.rawValue) else { return nil }
    return AppError(
      .methodNotAllowed, type: "method-not-allowed", title: "Method not allowed",
      detail:
        "\(request.method.rawValue) is not allowed here; use \(allowed.joined(separator: ", ")).",
      headers: ["Allow": allowed.joined(separator: ", ")])
  }

  func problemResponse(for error: any Error, request: Request) -> Response {
    let error = wrongMethod(error, request: request) ?? error
    var headers = HTTPHeaders()
    let problem: ProblemDetails
    switch error {
    case let error as AppError:
      problem = ProblemDetails(error)
      headers = error.headers
    case is RouteNotFound:
      problem = ProblemDetails(
        type: "not-found", title: "Not found", status: 404,
        detail: "No resource at \(request.url.path).")
    case is ConnectionPoolTimeoutError:
      // Every database connection stayed busy: a load problem, not a bug; the client may retry.
      request.logger.warning("Database connection pool exhausted")
      headers.replaceOrAdd(name: .retryAfter, value: "1")
      problem = ProblemDetails(
        type: "overloaded", title: "Service Unavailable", status: 503,
        detail: "The service is overloaded; retry in a moment.")
    case let error as DecodingError:
      problem = ProblemDetails.decoding(error)
    case let error as any DatabaseError where error.isConstraintFailure:
      request.logger.info(
        "Constraint violation", metadata: ["error": "\(String(reflecting: error))"])
      problem = ProblemDetails(
        type: "conflict", title: "Conflict", status: 409,
        detail: "The request conflicts with existing data.")
    case let error as any AbortError where error.status != .internalServerError:
      headers = error.headers
      headers.remove(name: .contentType)
      problem = ProblemDetails(
        type: Self.type(for: error.status), title: error.status.reasonPhrase,
        status: Int(error.status.code), detail: error.reason)
    default:
      request.logger.error(
        "Unhandled error", metadata: ["error": "\(String(reflecting: error))"])
      problem = ProblemDetails(
        type: "internal-error", title: "Internal Server Error", status: 500,
        detail: "An unexpected error occurred; it has been logged with this request's id.")
    }
    headers.replaceOrAdd(name: .contentType, value: "application/problem+json")
    let body = (try? Self.encoder.encode(problem)) ?? Data()
    return Response(
      status: HTTPResponseStatus(statusCode: problem.status), headers: headers,
      body: .init(data: body))
  }

  /// Sorted keys: equal problems are byte-identical (a wrong e-mail and a wrong password must
  /// not be told apart by member order).
  static let encoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return encoder
  }()

  static func type(for status: HTTPResponseStatus) -> String {
    status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "-")
  }
}

extension ProblemDetails {
  static func decoding(_ error: DecodingError) -> ProblemDetails {
    func path(_ context: DecodingError.Context, appending key: (any CodingKey)? = nil) -> String {
      let keys = context.codingPath + (key.map { [$0] } ?? [])
      let joined = keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
        .joined(separator: ".")
        .replacingOccurrences(of: ".[", with: "[")
      return joined.isEmpty ? "body" : joined
    }
    let field: String
    let reason: String
    switch error {
    case .keyNotFound(let key, let context):
      field = path(context, appending: key)
      reason = "is required"
    case .typeMismatch(let type, let context):
      field = path(context)
      reason = "must be \(Self.describe(type))"
    case .valueNotFound(let type, let context):
      field = path(context)
      reason = "must be \(Self.describe(type)), not null"
    case .dataCorrupted(let context):
      field = path(context)
      reason = context.codingPath.isEmpty ? "is not valid JSON" : "has an invalid value"
    @unknown default:
      field = "body"
      reason = "could not be decoded"
    }
    return ProblemDetails(
      type: "bad-request", title: "Bad request", status: 400, detail: "\(field) \(reason)",
      errors: [.init(field: field, reason: reason)])
  }

  private static func describe(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: "a string"
    case is Bool.Type: "a boolean"
    case is Int.Type, is Int64.Type, is Double.Type: "a number"
    case is [Any].Type: "an array"
    default: "\(type)".contains("Dictionary") ? "an object" : "a value of the expected type"
    }
  }
}
