import AsyncHTTPClient
import Foundation
import Logging

/// Everything needed to build a client for one tracker connection.
public struct TrackerConfiguration: Sendable {
  /// Which client to build.
  public var type: TrackerType
  /// The site URL: `https://acme.atlassian.net`, a Data Center URL with its context path
  /// (`https://host/jira`), or `https://acme.teamwork.com`. Browse links are built from it.
  public var baseURL: String
  /// How to authenticate.
  public var credentials: TrackerCredentials
  /// The acceptance-criteria field id (`customfield_10047`), or `nil` to discover it by name.
  public var acceptanceCriteriaField: String?
  /// An optional JQL restriction (`project = SHOP`); Jira only. Any `ORDER BY` is dropped.
  public var jql: String?
  /// Which repositories, projects or teams of the site to sync (GitHub, GitLab, Linear).
  public var scope: TrackerScope
  /// The shared HTTP client (owned and shut down by the caller).
  public var httpClient: HTTPClient
  /// The logger for request logs (credentials are never logged).
  public var logger: Logger
  /// Atlassian host overrides (`ATLASSIAN_AUTH_URL`, `ATLASSIAN_API_URL`).
  public var atlassian: AtlassianEndpoints
  /// Issues per page requested.
  public var pageSize: Int
  /// How far before the cursor a delta query starts (absorbs minute rounding, clock skew and
  /// search lag). Every delta run therefore sees some issues again; upserts make that harmless.
  public var overlapWindow: TimeInterval
  /// Per-request timeout.
  public var requestTimeout: Duration
  /// Retry behaviour for 429/503 and transient failures.
  public var retryPolicy: RetryPolicy
  /// What the client may contact besides the Atlassian endpoints: the base URL and every URL
  /// taken from a response are checked against it.
  public var outbound: OutboundPolicy

  /// Creates a configuration with the recommended defaults.
  public init(
    type: TrackerType,
    baseURL: String,
    credentials: TrackerCredentials,
    acceptanceCriteriaField: String? = nil,
    jql: String? = nil,
    scope: TrackerScope = TrackerScope(),
    httpClient: HTTPClient,
    logger: Logger = Logger(label: "promptsmith.trackers"),
    atlassian: AtlassianEndpoints = AtlassianEndpoints(),
    pageSize: Int = 50,
    overlapWindow: TimeInterval = 5 * 60,
    requestTimeout: Duration = .seconds(30),
    retryPolicy: RetryPolicy = RetryPolicy(),
    outbound: OutboundPolicy = OutboundPolicy()
  ) {
    self.type = type
    self.baseURL = baseURL
    self.credentials = credentials
    self.acceptanceCriteriaField = acceptanceCriteriaField
    self.jql = jql
    self.scope = scope
    self.httpClient = httpClient
    self.logger = logger
    self.atlassian = atlassian
    self.pageSize = pageSize
    self.overlapWindow = overlapWindow
    self.requestTimeout = requestTimeout
    self.retryPolicy = retryPolicy
    self.outbound = outbound
  }

  /// The base URL without trailing slashes.
  var siteURL: String {
    var url = baseURL
    while url.hasSuffix("/") { url.removeLast() }
    return url
  }
}

/// How a client authenticates.
public enum TrackerCredentials: Sendable {
  /// Jira Cloud OAuth 2.0 (3LO): the site's cloud id and the App's token provider.
  case oauth2(cloudId: String, provider: any AccessTokenProvider)
  /// Jira Cloud API token: HTTP Basic `email:token` against the site URL.
  case apiToken(email: String, token: String)
  /// A bearer token: Jira Data Center personal access token, or a Teamwork bearer token.
  case pat(token: String)
  /// HTTP Basic with a user name and password (Jira Data Center).
  case basic(username: String, password: String)
  /// Teamwork API key, sent as the HTTP Basic user name.
  case apiKey(key: String)
}

/// Supplies OAuth access tokens; the App implements it over its encrypted token storage.
///
/// The App refreshes under a per-tracker lock and persists the rotated refresh token before
/// returning a new access token (see ``AtlassianOAuth/refresh(refreshToken:)``).
public protocol AccessTokenProvider: Sendable {
  /// A currently valid access token (refreshed first when it is about to expire).
  func accessToken() async throws -> String

  /// Called once after the API answered 401: refresh now, whatever the stored expiry says.
  ///
  /// Throw ``TrackerError/invalidGrant(_:)`` when the refresh token was refused.
  func refreshAfterUnauthorized() async throws -> String
}

/// The two Atlassian hosts, overridable for tests and proxies.
public struct AtlassianEndpoints: Sendable, Equatable {
  /// The authorization server (`ATLASSIAN_AUTH_URL`), default `https://auth.atlassian.com`.
  public var authURL: String
  /// The API gateway (`ATLASSIAN_API_URL`), default `https://api.atlassian.com`.
  public var apiURL: String

  /// Creates the endpoints, defaulting to Atlassian's production hosts.
  public init(
    authURL: String = "https://auth.atlassian.com", apiURL: String = "https://api.atlassian.com"
  ) {
    self.authURL = authURL.trimmingTrailingSlashes()
    self.apiURL = apiURL.trimmingTrailingSlashes()
  }

  /// Reads `ATLASSIAN_AUTH_URL` and `ATLASSIAN_API_URL`, falling back to the defaults.
  public init(environment: [String: String]) {
    self.init(
      authURL: environment["ATLASSIAN_AUTH_URL"] ?? "https://auth.atlassian.com",
      apiURL: environment["ATLASSIAN_API_URL"] ?? "https://api.atlassian.com")
  }
}

extension String {
  func trimmingTrailingSlashes() -> String {
    var value = self
    while value.hasSuffix("/") { value.removeLast() }
    return value
  }
}
