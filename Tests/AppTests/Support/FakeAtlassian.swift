import Foundation
import NIOConcurrencyHelpers
import Vapor

/// Atlassian's auth and API hosts on one local server: the token endpoint with rotating refresh
/// tokens (a used one answers `invalid_grant`), accessible-resources and `/myself` per site.
final class FakeAtlassian: Sendable {
  static let cloudID = "7f3a9c2e-5b1d-4e8a-9c0f-2d6b8e4a1c37"
  let app: Application
  /// Refresh tokens still valid, and how many refreshes happened.
  let liveRefreshTokens = NIOLockedValueBox<Set<String>>([])
  let refreshes = NIOLockedValueBox(0)
  let issued = NIOLockedValueBox(0)

  var url: String { "http://127.0.0.1:\(app.http.server.shared.localAddress?.port ?? 0)" }

  static func start() async throws -> FakeAtlassian {
    let fake = FakeAtlassian(app: try await Application.make(.testing))
    fake.routes()
    fake.app.http.server.configuration.port = 0
    fake.app.http.server.configuration.hostname = "127.0.0.1"
    try fake.app.server.start()
    return fake
  }

  private init(app: Application) { self.app = app }

  func stop() async throws {
    await app.server.shutdown()
    try await app.asyncShutdown()
  }

  private func tokenPair() -> [String: Any] {
    let number = issued.withLockedValue { count -> Int in
      count += 1
      return count
    }
    let refresh = "refresh-\(number)"
    liveRefreshTokens.withLockedValue { _ = $0.insert(refresh) }
    return [
      "access_token": "access-\(number)", "refresh_token": refresh, "expires_in": 3600,
      "token_type": "Bearer", "scope": "read:jira-work read:jira-user offline_access",
    ]
  }

  private func routes() {
    app.post("oauth", "token") { req in
      let body = try req.content.decode([String: String].self)
      guard body["client_id"] == "client-id", body["client_secret"] == "client-secret" else {
        return Self.json(["error": "invalid_client"], status: .unauthorized)
      }
      switch body["grant_type"] {
      case "authorization_code":
        guard body["code"] == "good-code" else {
          return Self.json(["error": "invalid_grant"], status: .forbidden)
        }
        return Self.json(self.tokenPair())
      case "refresh_token":
        let token = body["refresh_token"] ?? ""
        let live = self.liveRefreshTokens.withLockedValue { $0.remove(token) != nil }
        guard live else { return Self.json(["error": "invalid_grant"], status: .forbidden) }
        self.refreshes.withLockedValue { $0 += 1 }
        return Self.json(self.tokenPair())
      default:
        return Self.json(["error": "unsupported_grant_type"], status: .badRequest)
      }
    }
    app.get("oauth", "token", "accessible-resources") { _ in
      Self.json([
        [
          "id": Self.cloudID, "url": "https://acme-shop.atlassian.net", "name": "acme-shop",
          "scopes": ["read:jira-work"],
        ]
      ])
    }
    app.get("ex", "jira", ":cloud", "rest", "api", "3", "myself") { req in
      guard req.headers.bearerAuthorization?.token.hasPrefix("access-") == true else {
        throw Abort(.unauthorized)
      }
      return Self.json([
        "accountId": "712020:abc", "displayName": "Sync Bot", "emailAddress": "bot@acme.example",
        "timeZone": "Europe/Paris",
      ])
    }
  }

  private static func json(_ object: Any, status: HTTPResponseStatus = .ok) -> Response {
    Response(
      status: status, headers: ["Content-Type": "application/json"],
      body: .init(data: try! JSONSerialization.data(withJSONObject: object)))
  }
}
