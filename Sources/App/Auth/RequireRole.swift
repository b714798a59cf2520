import SQLKit
import Vapor

/// Admits requests from users holding at least `role`: 401 without a valid access token, 403
/// with one whose user's role is too low. Every protected route group declares one.
struct RequireRole: AsyncMiddleware {
  let role: Role
  /// What the routes behind read first, read with the session on SQLite.
  let companion: (any SessionCompanionRead)?

  init(_ role: Role, readingWithSession companion: (any SessionCompanionRead)? = nil) {
    self.role = role
    self.companion = companion
  }

  func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
    // The session's read resumes on the request's loop, and the route's task starts there.
    try await request.onItsEventLoop {
      let principal = try await request.authenticate(readingWithSession: companion)
      guard principal.role.includes(role) else {
        throw AppError.forbidden("This action needs the \(role.rawValue) role.")
      }
      // Only an admitted caller learns what the query and body should look like.
      try await request.validateAgainstContract(publicOperations: false)
      return try await next.respond(to: request)
    }
  }
}

extension Request {
  /// Verifies the bearer token and loads its user, once per request.
  /// The user's own rate-limit bucket is taken here, once the user is known.
  func authenticate(readingWithSession companion: (any SessionCompanionRead)? = nil) async throws
    -> Principal
  {
    if let principal = storage[PrincipalKey.self] { return principal }
    let principal = try await verifyBearerToken(readingWithSession: companion)
    try application.rateLimiter?.check("user:" + principal.userID.lowercasedText)
    return principal
  }

  private func verifyBearerToken(readingWithSession companion: (any SessionCompanionRead)?)
    async throws -> Principal
  {
    guard let token = headers.bearerToken else { throw AppError.unauthorized }
    if token.hasPrefix(PersonalAccessToken.prefix) {
      guard let principal = try await PATLookup.principal(token: token, on: db) else {
        throw AppError.unauthorized
      }
      storage[PrincipalKey.self] = principal
      logger[metadataKey: LogKeys.userID] = .string(principal.userID.lowercasedText)
      return principal
    }
    let claims: JWTAccessTokenClaims
    do {
      claims = try await application.jwtAccessTokens.verify(token)
    } catch {
      logger.debug("Access token refused", metadata: ["reason": "\(error)"])
      throw AppError.unauthorized
    }
    guard let principal = try await session(of: claims, readingWith: companion) else {
      throw AppError.unauthorized
    }
    storage[PrincipalKey.self] = principal
    logger[metadataKey: LogKeys.userID] = .string(principal.userID.lowercasedText)
    return principal
  }

  /// The token's principal, read with the companion's statements when there are some: on
  /// SQLite in one job of a reader, on PostgreSQL in one statement when one combines them
  /// (`SessionAndGenerationSources`, read in groups: `GenerationSourcesGroup`). Their rows are
  /// kept for the route only when the session admits the caller in the company the token names
  /// (the company the statements were made for).
  private func session(
    of claims: JWTAccessTokenClaims, readingWith companion: (any SessionCompanionRead)?
  ) async throws -> Principal? {
    // Fluent makes a new database on each `db`, at a cost: read it once.
    let database = db
    guard let companion, let statement = SessionLookup.Statement(claims: claims),
      let companyID = UUID(text: claims.companyID),
      let statements = companion.statements(for: self, companyID: companyID)
    else { return try await SessionLookup.principal(claims: claims, on: database) }
    let rows: [[any SQLRow]]
    if let readers = SQLiteWriterSetup.writer(of: database)?.readers {
      rows = try await readers.rows(together: [statement] + statements)
    } else if database.engine == .postgres,
      let together = SessionAndGenerationSources(session: statement, companions: statements)
    {
      rows = try await application.generationSourcesGroup.rows(of: together, on: database)
    } else {
      return try await SessionLookup.principal(claims: claims, on: database)
    }
    guard let principal = try SessionLookup.principal(statement, row: rows[0].first) else {
      return nil
    }
    if principal.companyID == companyID {
      storage[PrefetchedRowsKey.self] = PrefetchedRows(statements, rows: Array(rows.dropFirst()))
    }
    return principal
  }
}
