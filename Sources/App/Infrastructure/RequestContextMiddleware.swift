import Vapor

/// The outermost middleware: gives every request an id (the caller's `X-Request-Id` when it
/// sends a sane one), puts it in every log line, records metrics and writes one access log line.
struct RequestContextMiddleware: AsyncMiddleware {
  let metrics: HTTPMetrics
  let errors: ProblemErrorMiddleware

  func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
    let started = ContinuousClock.now
    let requestID = Self.requestID(from: request.headers.first(name: "X-Request-Id"))
    request.logger[metadataKey: "request-id"] = nil
    request.logger[metadataKey: LogKeys.requestID] = .string(requestID)
    let response: Response
    do {
      response = try await next.respond(to: request)
    } catch {
      response = errors.problemResponse(for: error, request: request)
    }
    response.headers.replaceOrAdd(name: "X-Request-Id", value: requestID)
    let elapsed = ContinuousClock.now - started
    let route = request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") }
    metrics.record(
      method: request.method.rawValue, route: route ?? "unmatched",
      status: Int(response.status.code), duration: elapsed)
    request.logger.info(
      "\(request.method.rawValue) \(request.url.path) \(response.status.code)",
      metadata: [
        "durationMs": .stringConvertible(
          Double(elapsed.components.attoseconds / 1_000_000_000_000) / 1000
            + Double(elapsed.components.seconds) * 1000)
      ])
    return response
  }

  static func requestID(from header: String?) -> String {
    if let header, (1...128).contains(header.utf8.count),
      header.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
    {
      return header
    }
    return UUID.random().lowercasedText
  }
}
