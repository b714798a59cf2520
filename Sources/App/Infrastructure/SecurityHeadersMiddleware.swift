import Vapor

/// Headers every API response carries; the console's pages set their own content security
/// policy. HSTS only on responses that travel over HTTPS, where a browser heeds it.
struct SecurityHeadersMiddleware: AsyncMiddleware {
  func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
    let response = try await next.respond(to: request)
    response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
    response.headers.replaceOrAdd(name: "Referrer-Policy", value: "no-referrer")
    response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
    if !response.headers.contains(name: "Content-Security-Policy") {
      response.headers.replaceOrAdd(
        name: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'")
    }
    if request.arrivedOverHTTPS {
      response.headers.replaceOrAdd(
        name: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains")
    }
    if request.storage[PrincipalKey.self] != nil || request.headers.bearerToken != nil {
      response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
    }
    return response
  }
}
