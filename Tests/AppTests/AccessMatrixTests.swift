import Fluent
import Foundation
import Testing
import Vapor

@testable import App

/// Every route, every role: who may call it. A route missing from the table fails the test, so
/// a new endpoint cannot ship without deciding who may use it.
@Suite struct AccessMatrixTests {
  enum Access: Equatable {
    /// No credentials needed.
    case publicRoute
    /// A bearer token or the refresh cookie: without either, 401.
    case session
    /// Authenticated by something else than a user (a signature, an OAuth `state`).
    case signed
    case role(Role)
  }

  static let table: [String: Access] = [
    "POST /auth/login": .publicRoute,
    "POST /auth/refresh": .session,
    "POST /auth/logout": .session,
    "GET /me": .role(.developer),
    "PATCH /me": .role(.developer),
    "POST /users": .role(.admin),
    "GET /users": .role(.admin),
    "PATCH /users/:userID": .role(.admin),
    "GET /prompt-templates": .role(.developer),
    "GET /prompt-templates/:templateID": .role(.developer),
    "GET /prompt-templates/:templateID/versions": .role(.developer),
    "GET /prompt-templates/:templateID/versions/:version": .role(.developer),
    "POST /prompt-templates": .role(.lead),
    "POST /prompt-templates/lint": .role(.lead),
    "POST /prompt-templates/import": .role(.lead),
    "GET /prompt-templates/:templateID/diff": .role(.developer),
    "GET /prompt-templates/:templateID/labels": .role(.developer),
    "GET /prompt-templates/:templateID/labels/:label/history": .role(.developer),
    "PUT /prompt-templates/:templateID/labels/:label": .role(.lead),
    "DELETE /prompt-templates/:templateID/labels/:label": .role(.lead),
    "POST /prompt-templates/:templateID/check": .role(.lead),
    "GET /companies/current": .role(.developer),
    "PATCH /companies/current": .role(.admin),
    "POST /webhook-subscriptions": .role(.admin),
    "GET /webhook-subscriptions": .role(.admin),
    "DELETE /webhook-subscriptions/:subscriptionID": .role(.admin),
    "GET /webhook-subscriptions/:subscriptionID/deliveries": .role(.admin),
    "POST /prompts/preview": .role(.developer),
    "GET /models": .role(.developer),
    "GET /stats/timeseries": .role(.lead),
    "GET /stats/templates/:templateID": .role(.lead),
    "GET /stats/templates/:templateID/compare": .role(.lead),
    "PATCH /prompt-templates/:templateID": .role(.lead),
    "DELETE /prompt-templates/:templateID": .role(.lead),
    "POST /prompts/generate": .role(.developer),
    "GET /prompts": .role(.developer),
    "GET /prompts/:promptID": .role(.developer),
    "GET /prompt-versions/:versionID": .role(.developer),
    "GET /stats/summary": .role(.lead),
    "POST /trackers": .role(.admin),
    "GET /trackers": .role(.admin),
    "GET /trackers/:trackerID": .role(.admin),
    "PATCH /trackers/:trackerID": .role(.admin),
    "DELETE /trackers/:trackerID": .role(.admin),
    "POST /trackers/:trackerID/test": .role(.admin),
    "POST /trackers/:trackerID/sync": .role(.admin),
    "GET /trackers/:trackerID/oauth/start": .role(.admin),
    "GET /oauth/jira/callback": .signed,
    "POST /webhooks/jira/:trackerID": .signed,
    "POST /webhooks/github/:trackerID": .signed,
    "POST /webhooks/gitlab/:trackerID": .signed,
    "POST /webhooks/linear/:trackerID": .signed,
    "GET /issues": .role(.developer),
    "GET /issues/:issueID": .role(.developer),
    "POST /outputs": .role(.developer),
    "GET /outputs": .role(.developer),
    "GET /outputs/:outputID": .role(.developer),
    "GET /outputs/:outputID/content": .role(.developer),
    "PUT /outputs/:outputID/review": .role(.developer),
    "GET /jobs": .role(.admin),
    "GET /jobs/:jobID": .role(.admin),
    "POST /jobs/:jobID/retry": .role(.admin),
    "POST /jobs/:jobID/cancel": .role(.admin),
    "GET /stats/jobs": .role(.admin),
    "POST /me/tokens": .role(.developer),
    "GET /me/tokens": .role(.developer),
    "DELETE /me/tokens/:tokenID": .role(.developer),
    "GET /tokens": .role(.admin),
    "DELETE /tokens/:tokenID": .role(.admin),
    "GET /audit-events": .role(.admin),
    "POST /mcp": .role(.developer),
    "GET /health": .publicRoute,
    "GET /ready": .publicRoute,
    "GET /metrics": .publicRoute,
    "GET /openapi.yaml": .publicRoute,
    "GET /openapi.json": .publicRoute,
    "GET /docs": .publicRoute,
  ]

  static func key(_ route: Route) -> String {
    "\(route.method.rawValue) /" + route.path.map(\.description).joined(separator: "/")
  }

  /// A concrete path for a route: unknown ids, version 1.
  static func samplePath(_ route: Route) -> String {
    "/"
      + route.path.map { component -> String in
        guard case .parameter(let name) = component else { return component.description }
        switch name {
        case "version": return "1"
        case "label": return "staging"
        default: return UUID().uuidString.lowercased()
        }
      }.joined(separator: "/")
  }

  @Test func everyRouteIsInTheTable() async throws {
    try await withTestApp(.sqlite) { ctx in
      // The console's pages and files are public by nature and not API operations.
      let routes = Set(
        ctx.app.routes.all.filter { !ConsoleRoutes.owns($0.path) }.map(Self.key))
      #expect(routes.subtracting(Self.table.keys).sorted() == [], "routes missing from the table")
      #expect(Set(Self.table.keys).subtracting(routes).sorted() == [], "table rows without a route")
    }
  }

  @Test func allowNamesOnlyTheMostSpecificRoutesMethods() async throws {
    try await withTestApp(.sqlite) { ctx in
      // `/prompts/generate` is its own path, not `/prompts/:promptID` with id "generate"
      let fixed = try await ctx.app.testing().sendRequest(.OPTIONS, "/prompts/generate")
      let parameter = try await ctx.app.testing().sendRequest(.OPTIONS, "/trackers/\(UUID())")
      #expect(fixed.status == .methodNotAllowed)
      #expect(fixed.headers.first(name: .allow) == "POST")
      #expect(parameter.headers.first(name: .allow) == "DELETE, GET, PATCH")
    }
  }

  @Test(arguments: TestDatabase.all)
  func eachRoleGetsWhatTheTableSays(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      // setup: one user per role
      let admin = try await ctx.adminToken()
      var tokens: [Role: String] = [.admin: admin]
      for role in [Role.lead, .developer] {
        let user = try await ctx.createUser(role: role, adminToken: admin)
        tokens[role] = try await ctx.login(user.email, user.password).accessToken
      }
      // logout last: it ends the session the tokens belong to
      let routes = ctx.app.routes.all.sorted { lhs, _ in Self.key(lhs) != "POST /auth/logout" }
      for route in routes {
        let key = Self.key(route)
        guard let access = Self.table[key] else { continue }
        let path = Self.samplePath(route)
        let body: String? =
          [.POST, .PATCH].contains(route.method) && key != "POST /outputs" ? "{}" : nil
        // act: no token, then each role
        let anonymous = try await ctx.send(route.method, path, rawBody: body)
        var byRole: [Role: HTTPStatus] = [:]
        for role in [Role.developer, .lead, .admin] {
          byRole[role] = try await ctx.send(route.method, path, token: tokens[role], rawBody: body)
            .status
        }
        // check
        for status in [anonymous.status] + Array(byRole.values) {
          #expect(status.code < 500, "\(key): \(status)")
        }
        switch access {
        case .publicRoute, .signed:
          #expect(anonymous.status != .unauthorized && anonymous.status != .forbidden, "\(key)")
        case .session:
          #expect(anonymous.status == .unauthorized, "\(key)")
        case .role(let required):
          #expect(anonymous.status == .unauthorized, "\(key) without a token")
          for (role, status) in byRole {
            if role.includes(required) {
              #expect(status != .unauthorized && status != .forbidden, "\(key) as \(role)")
            } else {
              #expect(status == .forbidden, "\(key) as \(role): \(status)")
            }
          }
        }
      }
    }
  }
}
