import Vapor

/// Admits requests from users holding at least `role`: 401 without a valid access token, 403
/// with one whose user's role is too low. Every protected route group declares one.
struct RequireRole: AsyncMiddleware {
  let role: Role

  init(_ role: Role) {
    self.role = role
  }

  func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
    let principal = try await request.authenticate()
    guard principal.role.includes(role) else {
      throw AppError.forbidden("This action needs the \(role.rawValue) role.")
    }
    // Only an admitted caller learns what the query and body should look like.
    try await request.validateAgainstContract(publicOperations: false)
    return try await next.respond(to: request)
  }
}

extension Request {
  /// Verifies the bearer token and loads its user, once per request.
  /// The user's own rate-limit bucket is taken here, once the user is known.
  func authenticate() async throws -> Principal {
    if let principal = storage[PrincipalKey.self] { return principal }
    let principal = try await verifyBearerToken()
    try application.rateLimiter?.check("user:" + principal.userID.uuidString)
    return principal
  }

  private func verifyBearerToken() async throws -> Principal {
    guard let token = headers.bearerToken else { throw AppError.unauthorized }
    if token.hasPrefix(PersonalAccessToken.prefix) {
      guard let principal = try await PATLookup.principal(token: token, on: db) else {
        throw AppError.unauthorized
      }
      storage[PrincipalKey.self] = principal
      logger[metadataKey: LogKeys.userID] = .string(principal.userID.uuidString.lowercased())
      return principal
    }
    let claims: JWTAccessTokenClaims
    do {
      claims = try await application.jwtAccessTokens.verify(token)
    } catch {
      logger.debug("Access token refused", metadata: ["reason": "\(error)"])
      throw AppError.unauthorized
    }
    guard let principal = try await SessionLookup.principal(claims: claims, on: db) else {
      throw AppError.unauthorized
    }
    storage[PrincipalKey.self] = principal
    logger[metadataKey: LogKeys.userID] = .string(principal.userID.uuidString.lowercased())
    return principal
  }
}
