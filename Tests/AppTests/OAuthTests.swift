import Fluent
import Foundation
import Testing
import Trackers
import Vapor
import VaporTesting

@testable import App

/// Jira Cloud OAuth 2.0 (3LO) against a local Atlassian: state, code exchange, refresh rotation
/// and a refused grant.
@Suite struct OAuthTests {
  /// OAuth configured, with Atlassian's endpoints at `atlassian`.
  static func oauth(_ atlassian: String) -> (inout AppConfig) -> Void {
    { config in
      config.jiraClientID = "client-id"
      config.jiraClientSecret = "client-secret"
      config.publicBaseURL = "https://promptsmith.example"
      config.atlassian = AtlassianEndpoints(authURL: atlassian, apiURL: atlassian)
    }
  }

  @Test(arguments: TestDatabase.all)
  func anAdminConnectsJiraCloudAndTokensRotate(_ database: TestDatabase) async throws {
    let atlassian = try await FakeAtlassian.start()
    defer { Task { try? await atlassian.stop() } }
    try await withTestApp(database, configure: Self.oauth(atlassian.url)) { ctx in
      let admin = try await ctx.adminToken()
      let created = try await ctx.send(
        .POST, "/trackers", token: admin,
        object: [
          "type": "jira-cloud", "name": "Acme Cloud", "baseUrl": "https://acme-shop.atlassian.net",
          "auth": ["kind": "oauth2"],
        ])
      let tracker = try created.content.decode(TrackerResponse.self)
      #expect(tracker.webhookUrl == "https://promptsmith.example/webhooks/jira/\(tracker.id)")
      // act: start, then come back with the code
      let start = try await ctx.send(.GET, "/trackers/\(tracker.id)/oauth/start", token: admin)
      #expect(start.status == .seeOther || start.status == .found)
      let location = try #require(start.headers.first(name: .location))
      let components = try #require(URLComponents(string: location))
      let query = Dictionary(
        uniqueKeysWithValues: (components.queryItems ?? []).map { ($0.name, $0.value ?? "") })
      #expect(location.hasPrefix(atlassian.url + "/authorize"))
      #expect(query["client_id"] == "client-id")
      #expect(query["redirect_uri"] == "https://promptsmith.example/oauth/jira/callback")
      #expect(query["scope"]?.contains("offline_access") == true)
      let state = try #require(query["state"])
      let cookie = try #require(start.headers.setCookie?["ps_oauth_state"])
      #expect(cookie.string == state && cookie.isHTTPOnly && cookie.sameSite == .lax)
      #expect(cookie.path == "/oauth/jira/callback" && cookie.maxAge == 600)
      // another browser (a victim sent the link) holds no such cookie: refused, state unspent
      let elsewhere = try await ctx.send(.GET, "/oauth/jira/callback?code=good-code&state=\(state)")
      #expect(elsewhere.status == .badRequest)
      #expect(elsewhere.problem?.type.hasSuffix("oauth-state-invalid") == true)
      let held: HTTPHeaders = ["Cookie": "ps_oauth_state=\(state)"]
      let callback = try await ctx.send(
        .GET, "/oauth/jira/callback?code=good-code&state=\(state)", headers: held)
      #expect(callback.status == .ok)
      #expect(try callback.content.decode(OAuthConnected.self).cloudId == FakeAtlassian.cloudID)
      #expect(callback.headers.setCookie?["ps_oauth_state"]?.maxAge == 0)
      let replay = try await ctx.send(
        .GET, "/oauth/jira/callback?code=good-code&state=\(state)", headers: held)
      #expect(replay.status == .badRequest)

      // check: the client authenticates; an expired token is refreshed and the rotation kept
      let test = try await ctx.send(.POST, "/trackers/\(tracker.id)/test", token: admin)
      #expect(try test.content.decode(TrackerTestResponse.self).ok)
      let id = try #require(UUID(uuidString: tracker.id))
      let service = TrackerSyncJob.service(app: ctx.app, logger: ctx.app.logger)
      let row = try #require(try await Tracker.find(id, on: ctx.app.db))
      var auth = try #require(try service.auth(of: row))
      auth.expiresAt = Date().addingTimeInterval(-10)
      row.authJSON = try service.seal(auth, for: row)
      try await row.save(on: ctx.app.db)
      let store = try service.tokenStore(for: id)
      async let first = store.accessToken()
      async let second = store.accessToken()
      let tokens = try await [first, second]
      #expect(tokens[0] == tokens[1] && tokens[0] == "access-2")
      #expect(atlassian.refreshes.withLockedValue { $0 } == 1)
      let reloaded = try #require(try await Tracker.find(id, on: ctx.app.db))
      let rotated = try #require(try service.auth(of: reloaded))
      #expect(rotated.refreshToken == "refresh-2")

      // a refused refresh token marks the tracker for re-authorisation
      atlassian.liveRefreshTokens.withLockedValue { $0.removeAll() }
      await #expect(throws: TrackerError.self) { _ = try await store.refreshAfterUnauthorized() }
      let after = try await ctx.send(.GET, "/trackers/\(tracker.id)", token: admin)
      #expect(try after.content.decode(TrackerResponse.self).needsReauth)
    }
  }

  @Test(arguments: TestDatabase.all)
  func oauthNeedsConfigurationAndTheRightTracker(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      let created = try await ctx.send(
        .POST, "/trackers", token: admin,
        object: [
          "type": "jira-cloud", "name": "Acme Cloud", "baseUrl": "https://acme.atlassian.net",
          "auth": ["kind": "oauth2"],
        ])
      let tracker = try created.content.decode(TrackerResponse.self)
      let unconfigured = try await ctx.send(
        .GET, "/trackers/\(tracker.id)/oauth/start", token: admin)
      #expect(unconfigured.status == .conflict)
      let unknown = try await ctx.send(.GET, "/oauth/jira/callback?code=x&state=nope")
      #expect(unknown.status == .badRequest)
      let denied = try await ctx.send(.GET, "/oauth/jira/callback?error=access_denied")
      #expect(denied.status == .badRequest)
    }
  }

  /// An authorised account without access to the tracker's own site connects nothing: the
  /// first site it can see is not a fallback.
  @Test(arguments: TestDatabase.all)
  func aCallbackForAnotherSiteIsRefused(_ database: TestDatabase) async throws {
    let atlassian = try await FakeAtlassian.start()
    defer { Task { try? await atlassian.stop() } }
    try await withTestApp(database, configure: Self.oauth(atlassian.url)) { ctx in
      let admin = try await ctx.adminToken()
      let created = try await ctx.send(
        .POST, "/trackers", token: admin,
        object: [
          "type": "jira-cloud", "name": "Other", "baseUrl": "https://acme.atlassian.net",
          "auth": ["kind": "oauth2"],
        ])
      let tracker = try created.content.decode(TrackerResponse.self)
      let start = try await ctx.send(.GET, "/trackers/\(tracker.id)/oauth/start", token: admin)
      let state = try #require(start.headers.setCookie?["ps_oauth_state"]?.string)
      let callback = try await ctx.send(
        .GET, "/oauth/jira/callback?code=good-code&state=\(state)",
        headers: ["Cookie": "ps_oauth_state=\(state)"])
      #expect(callback.status == .conflict)
      #expect(callback.problem?.detail?.contains("acme.atlassian.net") == true)
      let row = try #require(try await Tracker.find(UUID(uuidString: tracker.id), on: ctx.app.db))
      let auth = try TrackerSyncJob.service(app: ctx.app, logger: ctx.app.logger).auth(of: row)
      #expect(auth?.cloudId == nil && auth?.accessToken == nil)
    }
  }

  /// The console asks for the authorize URL as JSON (its token cannot ride on a navigation),
  /// and the browser's callback ends on the tracker's console page with the outcome.
  @Test(arguments: TestDatabase.all)
  func theConsoleStartsWithJSONAndTheBrowserLandsOnTheTrackerPage(_ database: TestDatabase)
    async throws
  {
    let atlassian = try await FakeAtlassian.start()
    defer { Task { try? await atlassian.stop() } }
    try await withTestApp(database, configure: Self.oauth(atlassian.url)) { ctx in
      let admin = try await ctx.adminToken()
      func tracker(_ baseURL: String) async throws -> String {
        let created = try await ctx.send(
          .POST, "/trackers", token: admin,
          object: [
            "type": "jira-cloud", "name": "Cloud \(baseURL)", "baseUrl": baseURL,
            "auth": ["kind": "oauth2"],
          ])
        return try created.content.decode(TrackerResponse.self).id
      }
      let html: HTTPHeaders = ["Accept": "text/html,application/xhtml+xml,*/*;q=0.8"]
      func start(_ id: String) async throws -> String {
        let start = try await ctx.send(
          .GET, "/trackers/\(id)/oauth/start", token: admin, headers: ["Accept": "application/json"]
        )
        #expect(start.status == .ok)
        let url = try start.content.decode(OAuthStart.self).authorizationUrl
        #expect(url.hasPrefix(atlassian.url + "/authorize"))
        let state = try #require(start.headers.setCookie?["ps_oauth_state"]?.string)
        #expect(url.contains("state=\(state)"))
        return state
      }
      let good = try await tracker("https://acme-shop.atlassian.net")
      let state = try await start(good)
      var headers = html
      headers.add(name: .cookie, value: "ps_oauth_state=\(state)")
      let connected = try await ctx.send(
        .GET, "/oauth/jira/callback?code=good-code&state=\(state)", headers: headers)
      #expect(connected.status == .seeOther)
      #expect(
        connected.headers.first(name: .location) == "/app/admin/trackers/\(good)?oauth=connected")
      #expect(connected.headers.setCookie?["ps_oauth_state"]?.maxAge == 0)
      // a spent state names no tracker any more: the list page, with the problem's type only
      let replay = try await ctx.send(
        .GET, "/oauth/jira/callback?code=good-code&state=\(state)", headers: headers)
      #expect(
        replay.headers.first(name: .location) == "/app/admin/trackers?oauth=oauth-state-invalid")
      let denied = try await ctx.send(
        .GET, "/oauth/jira/callback?error=access_denied%3Cb%3E", headers: html)
      #expect(denied.headers.first(name: .location) == "/app/admin/trackers?oauth=oauth-denied")
      // a site the account cannot see: back to that tracker, nothing stored
      let other = try await tracker("https://acme.atlassian.net")
      let otherState = try await start(other)
      var otherHeaders = html
      otherHeaders.add(name: .cookie, value: "ps_oauth_state=\(otherState)")
      let mismatch = try await ctx.send(
        .GET, "/oauth/jira/callback?code=good-code&state=\(otherState)", headers: otherHeaders)
      #expect(
        mismatch.headers.first(name: .location)
          == "/app/admin/trackers/\(other)?oauth=oauth-site-mismatch")
    }
  }
}
