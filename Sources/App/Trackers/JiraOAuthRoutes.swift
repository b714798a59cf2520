import Fluent
import Foundation
import SQLKit
import Trackers
import Vapor

struct OAuthStart: Content {
  let authorizationUrl: String
}

struct OAuthConnected: Content {
  let trackerId: String
  let cloudId: String
  let site: String
}

/// Jira Cloud OAuth 2.0 (3LO): `GET /trackers/:id/oauth/start` (admin) sends the browser to
/// Atlassian with a single-use `state`; `GET /oauth/jira/callback` exchanges the code, finds the
/// site's cloud id and stores the tokens sealed.
///
/// The state is also set in a short-lived cookie of the browser that started, and the callback
/// refuses a state that browser does not hold: otherwise an admin could send a victim the
/// authorisation link and bind the victim's Jira to the admin's tracker (login CSRF).
struct JiraOAuthRoutes: RouteCollection {
  static let stateCookie = "ps_oauth_state"

  func boot(routes: any RoutesBuilder) throws {
    routes.grouped("trackers").grouped(RequireRole(.admin))
      .get(":trackerID", "oauth", "start", use: start)
    routes.get("oauth", "jira", "callback", use: callback)
  }

  func start(req: Request) async throws -> Response {
    let principal = try req.principal
    let tracker = try await req.trackers.find(
      req.idParameter("trackerID", "Tracker"), companyID: principal.companyID)
    guard tracker.trackerType == .jiraCloud, try req.trackers.auth(of: tracker)?.kind == .oauth2
    else {
      throw AppError.conflict("Only a jira-cloud tracker with auth kind oauth2 uses OAuth.")
    }
    let oauth = try req.application.atlassianOAuth()
    let state = SessionService.randomToken()
    let record = OAuthState(
      stateHash: SHA256Digest.hex(state), trackerID: try tracker.requireID(),
      userID: principal.userID, expiresAt: Date().addingTimeInterval(OAuthState.lifetime))
    try await req.db.singleWrite { try await record.create(on: $0) }
    let authorizationURL = oauth.authorizationURL(state: state).absoluteString
    // The console holds its token in memory, so it cannot navigate here with it: it asks for
    // JSON with its bearer token and then navigates to the URL itself.
    let response: Response
    if Self.prefersJSON(req) {
      response = Response(status: .ok)
      try response.content.encode(OAuthStart(authorizationUrl: authorizationURL))
    } else {
      response = req.redirect(to: authorizationURL, redirectType: .normal)
    }
    response.cookies[Self.stateCookie] = stateCookie(
      state, maxAge: Int(OAuthState.lifetime), req: req)
    return response
  }

  /// `HttpOnly`, `SameSite=Lax` (the callback is a top-level navigation from Atlassian), scoped
  /// to the callback's path and as short-lived as the state.
  func stateCookie(_ value: String, maxAge: Int, req: Request) -> HTTPCookies.Value {
    HTTPCookies.Value(
      string: value, expires: maxAge == 0 ? Date(timeIntervalSince1970: 0) : nil, maxAge: maxAge,
      path: "/oauth/jira/callback",
      isSecure: req.application.appConfig.publicBaseURL?.hasPrefix("https://") ?? true,
      isHTTPOnly: true, sameSite: .lax)
  }

  /// A browser (it asks for HTML) is sent on to the tracker's console page with the outcome in
  /// `?oauth=`: `connected`, or the problem's type (never its text, so that a crafted link
  /// cannot make the console show words of its choosing). Other clients get JSON.
  func callback(req: Request) async throws -> Response {
    var trackerID: UUID?
    guard Self.prefersHTML(req) else { return try await connect(req, trackerID: &trackerID) }
    var outcome = "connected"
    do {
      _ = try await connect(req, trackerID: &trackerID)
    } catch let error as AppError {
      outcome = error.type
    }
    let page = trackerID.map { "/app/admin/trackers/\($0.lowercasedText)" }
    let response = req.redirect(
      to: "\(page ?? "/app/admin/trackers")?oauth=\(outcome)", redirectType: .normal)
    response.cookies[Self.stateCookie] = stateCookie("", maxAge: 0, req: req)
    return response
  }

  static func prefersJSON(_ req: Request) -> Bool {
    req.headers.accept.mediaTypes.contains(.json)
  }

  static func prefersHTML(_ req: Request) -> Bool {
    req.headers.accept.mediaTypes.contains(.html)
  }

  /// Exchanges the code and stores the tokens; sets `trackerID` as soon as the state names it.
  func connect(_ req: Request, trackerID: inout UUID?) async throws -> Response {
    if let denied = req.query[String.self, at: "error"] {
      throw AppError(
        .badRequest, type: "oauth-denied", title: "Bad request",
        detail: "Atlassian refused the authorisation: \(denied).")
    }
    guard let code = req.query[String.self, at: "code"],
      let state = req.query[String.self, at: "state"]
    else { throw AppError.badRequest("code and state are required", field: "code") }
    guard let held = req.cookies[Self.stateCookie]?.string,
      SHA256Digest.hex(held) == SHA256Digest.hex(state)
    else {
      throw AppError(
        .badRequest, type: "oauth-state-invalid", title: "Bad request",
        detail: "This browser did not start this authorisation (no matching \(Self.stateCookie) "
          + "cookie): open GET /trackers/:id/oauth/start in the browser that finishes it.")
    }
    // Claimed by one conditional update: a state works once, within its ten minutes.
    let now = Date()
    let claimed = try await OAuthState.query(on: req.db)
      .filter(\.$stateHash == SHA256Digest.hex(state)).filter(\.$usedAt == nil)
      .filter(\.$expiresAt > now).first()
    guard let claimed else {
      throw AppError(
        .badRequest, type: "oauth-state-invalid", title: "Bad request",
        detail: "The OAuth state is unknown, expired or already used; start again.")
    }
    let claimedID = try claimed.requireID()
    let updated = try await req.db.singleWrite { database in
      try await database.sql.update(OAuthState.schema)
        .set("used_at", to: SQLBind(now)).where("id", .equal, SQLBind(claimedID))
        .where("used_at", .is, SQLLiteral.null).returning("id").all()
    }
    trackerID = claimed.$tracker.id
    guard !updated.isEmpty, let tracker = try await Tracker.find(claimed.$tracker.id, on: req.db)
    else {
      throw AppError(
        .badRequest, type: "oauth-state-invalid", title: "Bad request",
        detail: "The OAuth state was already used; start again.")
    }
    let oauth = try req.application.atlassianOAuth()
    let tokens: OAuthTokens
    let sites: [AtlassianSite]
    do {
      tokens = try await oauth.exchangeCode(code)
      sites = try await oauth.accessibleResources(accessToken: tokens.accessToken)
    } catch let error as TrackerError {
      throw AppError(
        .badGateway, type: "oauth-exchange-failed", title: "Bad Gateway",
        detail: "Atlassian refused the code exchange: \(error).")
    }
    let host = URL(string: tracker.baseURL)?.host?.lowercased()
    guard let site = sites.first(where: { URL(string: $0.url)?.host?.lowercased() == host }) else {
      throw AppError(
        .conflict, type: "oauth-site-mismatch", title: "Conflict",
        detail: "The authorised Atlassian account has no access to \(host ?? tracker.baseURL), the "
          + "tracker's site; connect with an account of that site or change the tracker's baseUrl.")
    }
    // The callback is anonymous: its audit row is written below, with the flow's author.
    let trackers = TrackerSyncJob.service(app: req.application, logger: req.logger)
    var auth = try trackers.auth(of: tracker) ?? TrackerAuth(kind: .oauth2)
    auth.kind = .oauth2
    auth.accessToken = tokens.accessToken
    auth.refreshToken = tokens.refreshToken
    auth.expiresAt = tokens.expiresAt
    auth.cloudId = site.id
    tracker.authJSON = try trackers.seal(auth, for: tracker)
    tracker.needsReauth = false
    tracker.lastError = nil
    // The callback carries no token: the user who started the flow is the author.
    let auditor = Auditor(
      companyID: tracker.$company.id, actorID: claimed.$user.id, client: req.clientInfo,
      logger: req.logger)
    try await req.db.writeTransaction { transaction in
      try await tracker.save(on: transaction)
      try await auditor.record(
        .trackerUpdated, .tracker, id: try tracker.requireID(), changed: ["auth"],
        on: transaction)
    }
    let response = Response(status: .ok)
    try response.content.encode(
      OAuthConnected(
        trackerId: try tracker.requireID().lowercasedText, cloudId: site.id,
        site: site.url))
    response.cookies[Self.stateCookie] = stateCookie("", maxAge: 0, req: req)
    return response
  }
}

extension Application {
  /// The Atlassian OAuth client, from `JIRA_CLIENT_ID`, `JIRA_CLIENT_SECRET` and
  /// `PUBLIC_BASE_URL` (the redirect URI is `PUBLIC_BASE_URL/oauth/jira/callback`).
  func atlassianOAuth() throws -> AtlassianOAuth {
    let config = appConfig
    guard let clientID = config.jiraClientID, let secret = config.jiraClientSecret,
      let base = config.publicBaseURL
    else {
      throw AppError(
        .conflict, type: "oauth-not-configured", title: "Conflict",
        detail: "Jira OAuth is not configured: set JIRA_CLIENT_ID, JIRA_CLIENT_SECRET and "
          + "PUBLIC_BASE_URL.")
    }
    return AtlassianOAuth(
      clientID: clientID, clientSecret: secret, redirectURI: base + "/oauth/jira/callback",
      httpClient: http.client.shared,
      endpoints: config.atlassian)
  }
}
