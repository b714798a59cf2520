import Crypto
import Fluent
import Vapor

/// An access token and the refresh token that renews it.
struct TokenPair: Sendable {
  let accessToken: String
  let refreshToken: String
}

/// Login, refresh-token rotation with reuse detection (RFC 9700 §4.14), and logout.
struct SessionService: Sendable {
  static let refreshLifetime: TimeInterval = 7 * 24 * 3600
  /// A used token presented again within this window is a concurrent duplicate (two tabs
  /// refreshing at once), not a theft: it is refused without revoking the family.
  static let reuseGraceSeconds: TimeInterval = 10

  let database: any Database
  let hasher: PasswordHasher
  let jwtAccessTokens: JWTAccessTokens
  let audit: AuditLog
  let now: @Sendable () -> Date
  /// `LOGIN_MAX_FAILURES` per 15 minutes, per attempted e-mail and per IP; 0 disables.
  var maximumLoginFailures = 5
  /// `SESSION_MAX_DAYS`: no refresh extends a session past this many days after its login.
  var sessionMaxDays = 30
  /// Aggregates and limits unknown refresh tokens per network; nil audits each one.
  var unknownTokens: UnknownRefreshTokens?

  func login(email: String, password: String, client: ClientInfo) async throws -> TokenPair {
    let normalized = User.normalize(email: email)
    let limiter = LoginLimiter(database: database, maximumFailures: maximumLoginFailures)
    let reservation = try await limiter.reserve(
      email: String(normalized.prefix(254)), ip: client.ip, now: now())
    let user = try await User.query(on: database).filter(\.$email == normalized).first()
    let verified: Bool
    if let user, !user.disabled {
      verified = try await hasher.verify(password, against: user.passwordHash)
    } else {
      verified = try await hasher.verifyDecoy(password)
    }
    try await limiter.settle(reservation, succeeded: verified && user != nil)
    guard verified, let user else {
      try await audit.record(
        .loginFailed, client: client, companyID: user?.$company.id, userID: user?.id,
        attemptedEmail: String(normalized.prefix(254)),
        details: ["reason": user?.disabled == true ? "disabled" : "invalid credentials"])
      throw AppError(
        .unauthorized, type: "invalid-credentials", title: "Unauthorized",
        detail: "Invalid email or password.")
    }
    let pair = try await database.writeTransaction { transaction in
      let family = RefreshTokenFamily(userID: try user.requireID())
      try await family.create(on: transaction)
      return try await issuePair(
        for: user, familyID: try family.requireID(), parentID: nil, on: transaction)
    }
    try await audit.record(
      .loginSucceeded, client: client, companyID: user.$company.id, userID: user.id)
    return pair
  }

  func refresh(token: String, client: ClientInfo) async throws -> TokenPair {
    let current = now()
    guard let stored = try await StoredRefreshToken.find(hash: Self.hash(token), on: database)
    else {
      let verdict = unknownTokens?.note(network: client.ip.map(LoginLimiter.bucket) ?? "-")
      if let retryAfter = verdict?.retryAfter {
        throw AppError(
          .tooManyRequests, type: "too-many-refresh-failures", title: "Too Many Requests",
          detail: "Too many unknown refresh tokens; try again in \(retryAfter) seconds.",
          headers: ["Retry-After": String(retryAfter)])
      }
      if verdict?.audit ?? true {
        var details = ["reason": "unknown token"]
        if let previous = verdict?.previousWindowCount {
          details["previousWindowCount"] = String(previous)
        }
        try await audit.record(.refreshFailed, client: client, details: details)
      }
      throw Self.refreshRefused
    }
    let context = (company: stored.companyID, user: Optional(stored.userID))
    let sessionEnds = stored.sessionStartedAt.addingTimeInterval(Double(sessionMaxDays) * 86_400)
    guard !stored.familyRevoked, !stored.userDisabled, stored.expiresAt > current,
      sessionEnds > current
    else {
      let reason =
        stored.familyRevoked
        ? "revoked"
        : stored.userDisabled
          ? "user disabled" : sessionEnds <= current ? "session too old" : "expired"
      if reason == "session too old" {
        try await revoke(familyID: stored.familyID, reason: "session lifetime ended")
      }
      try await audit.record(
        .refreshFailed, client: client, companyID: context.company, userID: context.user,
        details: ["reason": reason])
      throw Self.refreshRefused
    }
    let pair: TokenPair? = try await database.writeTransaction { transaction in
      let claimed = try await transaction.rows(ClaimRefreshToken(id: stored.id, at: current))
      guard !claimed.isEmpty else { return nil }
      return try await issuePair(
        userID: stored.userID, companyID: stored.companyID, role: stored.role,
        familyID: stored.familyID, parentID: stored.id, on: transaction)
    }
    if let pair {
      try await audit.record(
        .refreshSucceeded, client: client, companyID: context.company, userID: context.user)
      return pair
    }
    // Someone used this token before us.
    let rotatedAt =
      try await RefreshToken.find(stored.id, on: database)?.rotatedAt ?? .distantPast
    if current.timeIntervalSince(rotatedAt) <= Self.reuseGraceSeconds {
      try await audit.record(
        .refreshFailed, client: client, companyID: context.company, userID: context.user,
        details: ["reason": "concurrent duplicate"])
    } else {
      try await revoke(familyID: stored.familyID, reason: "reuse detected")
      try await audit.record(
        .refreshReuseDetected, client: client, companyID: context.company, userID: context.user,
        details: ["family": stored.familyID.lowercasedText])
    }
    throw Self.refreshRefused
  }

  func revoke(familyID: UUID, reason: String) async throws {
    let time = now()
    try await database.singleWrite { transaction in
      try await RefreshTokenFamily.query(on: transaction)
        .set(\.$revokedAt, to: time)
        .set(\.$revokedReason, to: reason)
        .filter(\.$id == familyID)
        .filter(\.$revokedAt == nil)
        .update()
    }
  }

  /// Ends every session of a user, except `keeping` (the one changing its own password).
  static func revokeAll(
    userID: UUID, keeping: UUID? = nil, reason: String, at time: Date = Date(),
    on database: any Database
  ) async throws {
    var query = RefreshTokenFamily.query(on: database)
      .set(\.$revokedAt, to: time)
      .set(\.$revokedReason, to: reason)
      .filter(\.$user.$id == userID)
      .filter(\.$revokedAt == nil)
    if let keeping {
      query = query.filter(\.$id != keeping)
    }
    try await query.update()
  }

  /// The family of a refresh token, for logout with a refresh token instead of an access token.
  func family(ofRefreshToken token: String) async throws -> RefreshToken? {
    try await RefreshToken.query(on: database).filter(\.$tokenHash == Self.hash(token)).first()
  }

  private func issuePair(
    for user: User, familyID: UUID, parentID: UUID?, on database: any Database
  ) async throws -> TokenPair {
    try await issuePair(
      userID: try user.requireID(), companyID: user.$company.id, role: user.role,
      familyID: familyID, parentID: parentID, on: database)
  }

  /// Inserted with SQL, not the `RefreshToken` model (see `StoredRefreshToken`).
  private func issuePair(
    userID: UUID, companyID: UUID, role: Role, familyID: UUID, parentID: UUID?,
    on database: any Database
  ) async throws -> TokenPair {
    let secret = Self.randomToken()
    let issued = now()
    try await database.run(
      InsertRefreshToken(
        values: [
          .uuid(UUID.v7()), .uuid(familyID), .uuid(userID), .uuid(parentID),
          .text(Self.hash(secret)), .date(issued + Self.refreshLifetime), .date(issued),
        ]))
    let access = try await jwtAccessTokens.issue(
      userID: userID, companyID: companyID, role: role, familyID: familyID, now: issued)
    return TokenPair(accessToken: access, refreshToken: secret)
  }

  static let refreshRefused = AppError(
    .unauthorized, type: "invalid-refresh-token", title: "Unauthorized",
    detail: "The refresh token is invalid, expired or already used.")

  /// 256 random bits, base64url without padding.
  static func randomToken() -> String {
    var generator = SystemRandomNumberGenerator()
    // Four 64-bit values: a system call each, where one per byte made 32.
    let bytes = (0..<4).flatMap { _ in
      withUnsafeBytes(of: generator.next() as UInt64) { Array($0) }
    }
    return Data(bytes).base64URLEncodedString
  }

  static func hash(_ token: String) -> String {
    SHA256Digest.hex(token)
  }
}

extension Request {
  var sessions: SessionService {
    var service = SessionService(
      database: db, hasher: application.passwordHasher,
      jwtAccessTokens: application.jwtAccessTokens,
      audit: audit, now: { Date() })
    service.maximumLoginFailures = application.appConfig.loginMaxFailures
    service.sessionMaxDays = application.appConfig.sessionMaxDays
    service.unknownTokens = application.unknownRefreshTokens
    return service
  }

  var audit: AuditLog {
    AuditLog(database: db, logger: logger)
  }

  /// The authenticated user as the author of data changes.
  var auditor: Auditor {
    get throws {
      let principal = try principal
      return Auditor(
        companyID: principal.companyID, actorID: principal.userID, client: clientInfo,
        logger: logger)
    }
  }
}
