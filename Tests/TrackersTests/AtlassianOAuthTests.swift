import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import Testing

@testable import Trackers

/// Atlassian's authorization server and `accessible-resources`, faked locally.
@Suite struct AtlassianOAuthTests {
  static let firstRefresh =
    Fixtures.json("jira-cloud/oauth-token-authorization-code.json")[
      "refresh_token"]?.string ?? ""

  /// Accepts the code `good-code`; accepts each refresh token once (rotation).
  static func authServer(used: NIOLockedValueBox<Set<String>>)
    -> @Sendable (FakeRequest) -> FakeResponse
  {
    { request in
      switch (request.method, request.path) {
      case ("POST", "/oauth/token"):
        guard request.header("Content-Type") == "application/json", let body = request.json,
          body["client_id"] as? String == "client-1", body["client_secret"] as? String == "secret-1"
        else { return .json(#"{"error":"invalid_client"}"#, status: 401) }
        switch body["grant_type"] as? String {
        case "authorization_code":
          guard body["code"] as? String == "good-code",
            body["redirect_uri"] as? String == "https://promptsmith.example/oauth/jira/callback"
          else {
            return .json(
              #"{"error":"invalid_grant","error_description":"Invalid authorization code"}"#,
              status: 403)
          }
          return .fixture("jira-cloud/oauth-token-authorization-code.json")
        case "refresh_token":
          let token = body["refresh_token"] as? String ?? ""
          let fresh = used.withLockedValue { $0.insert(token).inserted }
          guard token == firstRefresh, fresh else {
            return .json(
              #"{"error":"invalid_grant","error_description":"Unknown or invalid refresh token."}"#,
              status: 403)
          }
          return .fixture("jira-cloud/oauth-token-refresh.json")
        default:
          return .json(#"{"error":"unsupported_grant_type"}"#, status: 400)
        }
      case ("GET", "/oauth/token/accessible-resources"):
        guard request.header("Authorization")?.hasPrefix("Bearer eyJ") == true else {
          return .json("{}", status: 401)
        }
        return .fixture("jira-cloud/accessible-resources.json")
      default:
        return .notFound
      }
    }
  }

  static func oauth(_ server: FakeServer, _ client: HTTPClient) -> AtlassianOAuth {
    AtlassianOAuth(
      clientID: "client-1", clientSecret: "secret-1",
      redirectURI: "https://promptsmith.example/oauth/jira/callback", httpClient: client,
      endpoints: AtlassianEndpoints(environment: [
        "ATLASSIAN_AUTH_URL": server.baseURL, "ATLASSIAN_API_URL": server.baseURL + "/",
      ]),
      retryPolicy: RetryPolicy(sleep: { _ in }))
  }

  @Test func authorizationURL() throws {
    let client = HTTPClient(eventLoopGroupProvider: .singleton)
    defer { try? client.syncShutdown() }
    let oauth = AtlassianOAuth(
      clientID: "client-1", clientSecret: "secret-1",
      redirectURI: "https://promptsmith.example/oauth/jira/callback", httpClient: client)
    let url = oauth.authorizationURL(state: "st+ate/1")
    let components = try #require(URLComponents(url: url, resolvingAgainstBaseURL: false))
    #expect(components.host == "auth.atlassian.com")
    #expect(components.path == "/authorize")
    let query = Dictionary(
      uniqueKeysWithValues: (components.queryItems ?? []).map { ($0.name, $0.value ?? "") })
    #expect(query["audience"] == "api.atlassian.com")
    #expect(query["client_id"] == "client-1")
    #expect(query["scope"] == "read:jira-work read:jira-user manage:jira-webhook offline_access")
    #expect(query["redirect_uri"] == "https://promptsmith.example/oauth/jira/callback")
    #expect(query["state"] == "st+ate/1")
    #expect(query["response_type"] == "code")
    #expect(query["prompt"] == "consent")
    #expect(url.absoluteString.contains("state=st%2Bate%2F1"))
    #expect(url.absoluteString.contains("scope=read%3Ajira-work%20read%3Ajira-user"))
  }

  @Test func codeExchangeThenAccessibleResources() async throws {
    try await withFakeServer(Self.authServer(used: NIOLockedValueBox([]))) { server, client in
      let oauth = Self.oauth(server, client)
      let tokens = try await oauth.exchangeCode("good-code")
      #expect(tokens.accessToken.hasPrefix("eyJ"))
      #expect(tokens.refreshToken == Self.firstRefresh)
      #expect(tokens.expiresIn == 3600)
      #expect(tokens.scopes.contains("offline_access"))
      #expect(tokens.tokenType.lowercased() == "bearer")
      #expect(abs(tokens.expiresAt.timeIntervalSinceNow - 3600) < 60)
      let sites = try await oauth.accessibleResources(accessToken: tokens.accessToken)
      #expect(
        sites == [
          AtlassianSite(
            id: "7f3a9c2e-5b1d-4e8a-9c0f-2d6b8e4a1c37", name: "acme-shop",
            url: "https://acme-shop.atlassian.net",
            scopes: ["read:jira-work", "read:jira-user", "manage:jira-webhook"])
        ])
      let body = try #require(server.requests.first?.json)
      #expect(body["grant_type"] as? String == "authorization_code")
    }
  }

  @Test func badCodeIsInvalidGrant() async throws {
    try await withFakeServer(Self.authServer(used: NIOLockedValueBox([]))) { server, client in
      await #expect(throws: TrackerError.self) {
        try await Self.oauth(server, client).exchangeCode("bad")
      }
      do {
        _ = try await Self.oauth(server, client).exchangeCode("bad")
      } catch TrackerError.invalidGrant(let detail) {
        #expect(detail?.contains("invalid_grant") == true)
      }
    }
  }

  @Test func refreshRotatesAndTheOldTokenIsThenRefused() async throws {
    try await withFakeServer(Self.authServer(used: NIOLockedValueBox([]))) { server, client in
      let oauth = Self.oauth(server, client)
      let rotated = try await oauth.refresh(refreshToken: Self.firstRefresh)
      #expect(rotated.refreshToken != nil)
      #expect(rotated.refreshToken != Self.firstRefresh)
      let body = try #require(server.requests.last?.json)
      #expect(body["grant_type"] as? String == "refresh_token")
      #expect(body["refresh_token"] as? String == Self.firstRefresh)
      // Reusing the rotated-away token: invalid_grant → the tracker needs re-authorisation.
      do {
        _ = try await oauth.refresh(refreshToken: Self.firstRefresh)
        Issue.record("expected invalidGrant")
      } catch let error as TrackerError {
        #expect(error.needsReauthorization)
        guard case .invalidGrant(let detail) = error else { throw error }
        #expect(detail?.contains("invalid_grant: Unknown or invalid refresh token.") == true)
      }
    }
  }

  @Test func wrongClientSecretIsNotAGrantProblem() async throws {
    try await withFakeServer(Self.authServer(used: NIOLockedValueBox([]))) { server, client in
      var oauth = Self.oauth(server, client)
      oauth.clientSecret = "wrong"
      do {
        _ = try await oauth.refresh(refreshToken: Self.firstRefresh)
        Issue.record("expected a failure")
      } catch TrackerError.authenticationFailed(let detail) {
        #expect(detail.contains("invalid_client"))
        #expect(!detail.contains("wrong"))
      }
    }
  }
}
