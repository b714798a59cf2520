import Vapor

/// The Origin check the MCP spec asks of every server, against DNS rebinding: a request that
/// carries an `Origin` (a browser's) must come from `PUBLIC_BASE_URL`'s origin or one listed in
/// `MCP_ALLOWED_ORIGINS`. Assistants and command-line clients send none.
struct MCPOriginCheck: AsyncMiddleware {
  func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
    if let origin = request.headers.first(name: .origin) {
      let allowed = request.application.appConfig.mcpAllowedOrigins
      guard let normalized = CORSPolicy.normalize(origin: origin), allowed.contains(normalized)
      else {
        throw AppError.forbidden(
          "Origin \(origin) may not use the MCP endpoint (see MCP_ALLOWED_ORIGINS).")
      }
    }
    return try await next.respond(to: request)
  }
}

extension AppConfig {
  /// The origins `MCPOriginCheck` lets through.
  var mcpAllowedOrigins: Set<String> {
    var origins = Set(mcpExtraOrigins)
    if let base = publicBaseURL.flatMap(URLComponents.init(string:)), let scheme = base.scheme,
      let host = base.host,
      let origin = CORSPolicy.normalize(
        origin: "\(scheme)://\(host)" + (base.port.map { ":\($0)" } ?? ""))
    {
      origins.insert(origin)
    }
    return origins
  }
}
