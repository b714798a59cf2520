import Vapor

/// With `REQUIRE_HTTPS=true`: a request that did not arrive over HTTPS is redirected (308, GET
/// and HEAD) or refused (403 `https-required`, other methods, whose body must not be resent in
/// clear). `/health` and `/ready` stay reachable for probes that speak plain HTTP.
struct RequireHTTPSMiddleware: AsyncMiddleware {
  static let probePaths: Set<String> = ["/health", "/ready"]

  func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
    guard !request.arrivedOverHTTPS, !Self.probePaths.contains(request.url.path) else {
      return try await next.respond(to: request)
    }
    guard request.method == .GET || request.method == .HEAD else {
      throw AppError(
        .forbidden, type: "https-required", title: "HTTPS required",
        detail: "This service only accepts \(request.method.rawValue) requests over HTTPS.")
    }
    return HTTPSRedirect.response(location: HTTPSRedirect.location(for: request, httpsPort: nil))
  }
}
