import AsyncHTTPClient
import Foundation
import Logging

/// The client side of Atlassian OAuth 2.0 (3LO): the authorize URL, the code exchange, the
/// refresh with rotating refresh tokens, and `accessible-resources` for the cloud id.
///
/// The App owns the rest: the single-use `state`, storing tokens encrypted, and refreshing
/// under a per-tracker lock. Every refresh returns a new refresh token and invalidates the one
/// sent, so persist ``OAuthTokens/refreshToken`` atomically before using the new access token.
public struct AtlassianOAuth: Sendable {
  /// The scopes the sync needs; `offline_access` is what yields a refresh token.
  public static let defaultScopes = [
    "read:jira-work", "read:jira-user", "manage:jira-webhook", "offline_access",
  ]

  /// `JIRA_CLIENT_ID`.
  public var clientID: String
  /// `JIRA_CLIENT_SECRET`.
  public var clientSecret: String
  /// The callback, built from `PUBLIC_BASE_URL` (`…/oauth/jira/callback`); it must match the
  /// one registered in the developer console.
  public var redirectURI: String
  /// The Atlassian hosts (overridable by `ATLASSIAN_AUTH_URL` / `ATLASSIAN_API_URL`).
  public var endpoints: AtlassianEndpoints

  private let transport: HTTPTransport

  /// Creates the helper.
  public init(
    clientID: String,
    clientSecret: String,
    redirectURI: String,
    httpClient: HTTPClient,
    endpoints: AtlassianEndpoints = AtlassianEndpoints(),
    logger: Logger = Logger(label: "promptsmith.trackers.oauth"),
    requestTimeout: Duration = .seconds(30),
    retryPolicy: RetryPolicy = RetryPolicy()
  ) {
    self.clientID = clientID
    self.clientSecret = clientSecret
    self.redirectURI = redirectURI
    self.endpoints = endpoints
    self.transport = HTTPTransport(
      client: httpClient, logger: logger, timeout: requestTimeout, retryPolicy: retryPolicy,
      authorization: .none)
  }

  /// The URL to redirect the admin's browser to (`GET {auth}/authorize`).
  public func authorizationURL(state: String, scopes: [String] = defaultScopes) -> URL {
    var components = URLComponents(string: endpoints.authURL + "/authorize")!
    components.queryItems = [
      URLQueryItem(name: "audience", value: "api.atlassian.com"),
      URLQueryItem(name: "client_id", value: clientID),
      URLQueryItem(name: "scope", value: scopes.joined(separator: " ")),
      URLQueryItem(name: "redirect_uri", value: redirectURI),
      URLQueryItem(name: "state", value: state),
      URLQueryItem(name: "response_type", value: "code"),
      URLQueryItem(name: "prompt", value: "consent"),
    ]
    // URLComponents leaves `+` and `:` alone; encode the query strictly for the redirect.
    components.percentEncodedQuery = components.queryItems?.map {
      "\($0.name)=\(URLBuilding.encode($0.value ?? ""))"
    }.joined(separator: "&")
    return components.url!
  }

  /// Exchanges the callback's `code` for tokens.
  public func exchangeCode(_ code: String) async throws -> OAuthTokens {
    try await tokenRequest([
      "grant_type": .string("authorization_code"), "client_id": .string(clientID),
      "client_secret": .string(clientSecret), "code": .string(code),
      "redirect_uri": .string(redirectURI),
    ])
  }

  /// Refreshes the access token; the response carries a new (rotated) refresh token.
  ///
  /// - Throws: ``TrackerError/invalidGrant(_:)`` when the refresh token is refused (the
  ///   tracker then needs a new consent).
  public func refresh(refreshToken: String) async throws -> OAuthTokens {
    try await tokenRequest([
      "grant_type": .string("refresh_token"), "client_id": .string(clientID),
      "client_secret": .string(clientSecret), "refresh_token": .string(refreshToken),
    ])
  }

  /// The sites the token can reach (`GET {api}/oauth/token/accessible-resources`); the `id`
  /// of each is its cloud id. The list is unordered; let the admin choose when there are many.
  public func accessibleResources(accessToken: String) async throws -> [AtlassianSite] {
    var transport = self.transport
    transport.authorization = .bearer(accessToken)
    let (json, _) = try await transport.json(
      .GET, endpoints.apiURL + "/oauth/token/accessible-resources")
    return (json.array ?? []).compactMap { site in
      guard let id = site["id"]?.string else { return nil }
      return AtlassianSite(
        id: id, name: site["name"]?.string ?? "", url: site["url"]?.string ?? "",
        scopes: (site["scopes"]?.array ?? []).compactMap(\.string))
    }
  }

  private func tokenRequest(_ body: JSONObject) async throws -> OAuthTokens {
    let json: JSONValue
    do {
      (json, _) = try await transport.json(
        .POST, endpoints.authURL + "/oauth/token",
        json: Data(JSONValue.object(body).compactJSON.utf8))
    } catch TrackerError.rejected(let status, let message) {
      // 400 invalid_grant (and similar) from the token endpoint: the grant is gone.
      if message.contains("invalid_grant") {
        throw TrackerError.invalidGrant(message)
      }
      throw TrackerError.rejected(status: status, message: message)
    } catch TrackerError.authenticationFailed(let detail) {
      // 401/403 from the token endpoint: a refused grant, unless the client itself was refused
      // (wrong JIRA_CLIENT_ID / JIRA_CLIENT_SECRET), which no re-consent would fix.
      if detail.contains("invalid_client") { throw TrackerError.authenticationFailed(detail) }
      throw TrackerError.invalidGrant(detail)
    }
    guard let accessToken = json["access_token"]?.nonEmptyString else {
      throw TrackerError.badResponse("token response without access_token")
    }
    let expiresIn = json["expires_in"]?.number ?? 3600
    return OAuthTokens(
      accessToken: accessToken,
      refreshToken: json["refresh_token"]?.nonEmptyString,
      expiresIn: expiresIn,
      expiresAt: Date().addingTimeInterval(expiresIn),
      scopes: (json["scope"]?.string ?? "").split(separator: " ").map(String.init),
      tokenType: json["token_type"]?.string ?? "Bearer")
  }
}

/// Tokens from Atlassian's token endpoint.
public struct OAuthTokens: Sendable, Equatable {
  /// The bearer token for API calls (about one hour).
  public var accessToken: String
  /// The new refresh token (present when `offline_access` was granted); replaces the old one.
  public var refreshToken: String?
  /// Lifetime in seconds as sent.
  public var expiresIn: TimeInterval
  /// When the access token expires (refresh a few minutes before).
  public var expiresAt: Date
  /// The granted scopes.
  public var scopes: [String]
  /// `Bearer` (compare without case).
  public var tokenType: String
}

/// One site from `accessible-resources`.
public struct AtlassianSite: Sendable, Equatable {
  /// The cloud id (`/ex/jira/{id}`).
  public var id: String
  /// The site name (`acme-shop`).
  public var name: String
  /// The site URL (`https://acme-shop.atlassian.net`), the tracker's base URL.
  public var url: String
  /// The scopes granted on this site.
  public var scopes: [String]
}
