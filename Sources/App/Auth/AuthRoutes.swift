import Vapor

struct LoginRequest: Content {
  let email: String
  let password: String
}

struct RefreshRequest: Content {
  let refreshToken: String?
}

struct TokenPairResponse: Content {
  let accessToken: String
  let refreshToken: String
}

/// `POST /auth/login`, `/auth/refresh` and `/auth/logout`.
struct AuthRoutes: RouteCollection {
  static let cookieName = "ps_refresh"
  /// A cookie scripts may read, set beside the refresh cookie: it holds no secret, only tells
  /// the console that a session may exist, so a page opened signed out does not ask
  /// `/auth/refresh` for one and log a 401.
  static let hintCookieName = "ps_session"

  func boot(routes: any RoutesBuilder) throws {
    let auth = routes.grouped("auth")
    auth.post("login", use: login)
    auth.post("refresh", use: refresh)
    auth.post("logout", use: logout)
  }

  func login(req: Request) async throws -> Response {
    let body = try req.decodeBody(LoginRequest.self)
    let pair = try await req.sessions.login(
      email: body.email, password: body.password, client: req.clientInfo)
    return try Self.tokenResponse(pair)
  }

  func refresh(req: Request) async throws -> Response {
    guard let token = try Self.presentedRefreshToken(req) else {
      throw SessionService.refreshRefused
    }
    let pair = try await req.sessions.refresh(token: token, client: req.clientInfo)
    return try Self.tokenResponse(pair)
  }

  func logout(req: Request) async throws -> Response {
    let sessions = req.sessions
    let familyID: UUID
    let userID: UUID
    let companyID: UUID?
    if req.headers.bearerToken != nil {
      let principal = try await req.authenticate()
      guard let session = principal.familyID else {
        throw AppError.forbidden(
          "A personal access token has no session to end: revoke it with DELETE /me/tokens/:id.")
      }
      (familyID, userID, companyID) = (session, principal.userID, principal.companyID)
    } else if let token = try Self.presentedRefreshToken(req),
      let stored = try await sessions.family(ofRefreshToken: token)
    {
      (familyID, userID, companyID) = (stored.$family.id, stored.$user.id, nil)
    } else {
      throw AppError.unauthorized
    }
    try await sessions.revoke(familyID: familyID, reason: "logout")
    try await req.audit.record(
      .logout, client: req.clientInfo, companyID: companyID, userID: userID)
    let response = Response(status: .noContent)
    response.cookies[Self.cookieName] = Self.cookie(value: "", maxAge: 0)
    response.cookies[Self.hintCookieName] = Self.hintCookie(maxAge: 0)
    return response
  }

  /// The refresh token from the cookie, else from a JSON body (non-browser clients).
  static func presentedRefreshToken(_ req: Request) throws -> String? {
    if let cookie = req.cookies[cookieName]?.string, !cookie.isEmpty {
      return cookie
    }
    guard let body = req.body.data, body.readableBytes > 0 else { return nil }
    return try req.decodeBody(RefreshRequest.self).refreshToken
  }

  static func tokenResponse(_ pair: TokenPair) throws -> Response {
    let response = Response(status: .ok)
    try response.content.encode(
      TokenPairResponse(accessToken: pair.accessToken, refreshToken: pair.refreshToken))
    response.cookies[cookieName] = cookie(
      value: pair.refreshToken, maxAge: Int(SessionService.refreshLifetime))
    response.cookies[hintCookieName] = hintCookie(maxAge: Int(SessionService.refreshLifetime))
    response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
    return response
  }

  static func cookie(value: String, maxAge: Int) -> HTTPCookies.Value {
    HTTPCookies.Value(
      string: value, expires: maxAge == 0 ? Date(timeIntervalSince1970: 0) : nil, maxAge: maxAge,
      path: "/auth", isSecure: true, isHTTPOnly: true, sameSite: .strict)
  }

  static func hintCookie(maxAge: Int) -> HTTPCookies.Value {
    HTTPCookies.Value(
      string: maxAge == 0 ? "" : "1", expires: maxAge == 0 ? Date(timeIntervalSince1970: 0) : nil,
      maxAge: maxAge, path: "/", isSecure: true, isHTTPOnly: false, sameSite: .strict)
  }
}
