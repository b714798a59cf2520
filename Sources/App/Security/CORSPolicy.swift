import Vapor

/// Cross-origin access for the browser origins in `CORS_ORIGINS`, and for no other: a listed
/// origin's preflight is answered (204) and its responses carry `Access-Control-Allow-Origin`;
/// an unlisted origin's requests pass on untouched, so the browser keeps blocking them.
struct CORSPolicy: AsyncMiddleware {
  let origins: Set<String>

  static let allowedHeaders = "Authorization, Content-Type, X-Request-Id"
  static let exposedHeaders = "Link, Location, Retry-After, X-Request-Id"
  static let maxAge = "600"

  func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
    guard let origin = request.headers.first(name: .origin),
      let normalized = Self.normalize(origin: origin), origins.contains(normalized)
    else {
      return try await next.respond(to: request)
    }
    let response: Response
    if request.method == .OPTIONS,
      request.headers.first(name: .accessControlRequestMethod) != nil
    {
      let allowed = MethodsForPath.allowed(for: request)
      response = Response(status: allowed.isEmpty ? .notFound : .noContent)
      if !allowed.isEmpty {
        response.headers.replaceOrAdd(
          name: .accessControlAllowMethods, value: allowed.joined(separator: ", "))
        response.headers.replaceOrAdd(
          name: .accessControlAllowHeaders, value: Self.allowedHeaders)
        response.headers.replaceOrAdd(name: .accessControlMaxAge, value: Self.maxAge)
      }
    } else {
      response = try await next.respond(to: request)
      response.headers.replaceOrAdd(name: .accessControlExpose, value: Self.exposedHeaders)
    }
    response.headers.replaceOrAdd(name: .accessControlAllowOrigin, value: origin)
    response.headers.add(name: .vary, value: "Origin")
    return response
  }

  /// `scheme://host[:port]` in lower case, or nil when `origin` is not a web origin (no path,
  /// query, fragment or credentials).
  static func normalize(origin: String) -> String? {
    guard let components = URLComponents(string: origin),
      let scheme = components.scheme?.lowercased(), scheme == "https" || scheme == "http",
      let host = components.host?.lowercased(), !host.isEmpty,
      components.path.isEmpty || components.path == "/",
      components.query == nil, components.fragment == nil, components.user == nil
    else { return nil }
    return scheme + "://" + host + (components.port.map { ":\($0)" } ?? "")
  }
}
