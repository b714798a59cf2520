import Foundation
import NIOConcurrencyHelpers
import Vapor

/// A local Jira Data Center that speaks REST v2 (`/myself`, `/search` with `startAt`) over real
/// HTTP, serving the shared fixture; tests edit its issues between syncs.
// @unchecked: the JSON dictionaries hold `Any`, but every access goes through the lock boxes.
final class FakeJiraDataCenter: @unchecked Sendable {
  static let token = "dc-personal-access-token"
  let app: Application
  let issues: NIOLockedValueBox<[[String: Any]]>
  let requests = NIOLockedValueBox<[String]>([])
  /// When set, a search starting at this offset answers 400, as a crash between pages would.
  let failAtStart = NIOLockedValueBox<Int?>(nil)

  var baseURL: String { "http://127.0.0.1:\(app.http.server.shared.localAddress?.port ?? 0)/jira" }

  static func start() async throws -> FakeJiraDataCenter {
    let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("TrackersTests/Fixtures/jira-dc/search-v2-page.json")
    let page = try JSONSerialization.jsonObject(with: Data(contentsOf: fixture)) as! [String: Any]
    let fake = FakeJiraDataCenter(
      app: try await Application.make(.testing), issues: page["issues"] as! [[String: Any]])
    fake.routes()
    fake.app.http.server.configuration.port = 0
    fake.app.http.server.configuration.hostname = "127.0.0.1"
    try fake.app.server.start()
    return fake
  }

  private init(app: Application, issues: [[String: Any]]) {
    self.app = app
    self.issues = NIOLockedValueBox(issues)
  }

  func stop() async throws {
    await app.server.shutdown()
    try await app.asyncShutdown()
  }

  /// Gives every issue the same `updated` time, so that a page boundary falls inside it.
  func setAllUpdated(_ updated: String) {
    issues.withLockedValue { issues in
      for index in issues.indices {
        var fields = issues[index]["fields"] as! [String: Any]
        fields["updated"] = updated
        issues[index]["fields"] = fields
      }
    }
  }

  /// Changes an issue's summary and moves its `updated` time forward.
  func edit(key: String, summary: String, updated: String) {
    issues.withLockedValue { issues in
      for index in issues.indices where issues[index]["key"] as? String == key {
        var fields = issues[index]["fields"] as! [String: Any]
        fields["summary"] = summary
        fields["updated"] = updated
        issues[index]["fields"] = fields
      }
    }
  }

  private func routes() {
    let api = app.grouped("jira", "rest", "api", "2")
    api.get("myself") { req in
      try self.authorize(req)
      return Self.json([
        "name": "sync-bot", "displayName": "Sync Bot", "emailAddress": "bot@acme-corp.example",
        "timeZone": "Europe/Vienna",
      ])
    }
    api.get("search") { req in
      try self.authorize(req)
      self.requests.withLockedValue { $0.append(req.url.string) }
      let startAt = req.query[Int.self, at: "startAt"] ?? 0
      if let failing = self.failAtStart.withLockedValue({ $0 }), failing == startAt {
        throw Abort(.badRequest, reason: "simulated failure between pages")
      }
      let maxResults = min(req.query[Int.self, at: "maxResults"] ?? 50, 1)
      let all = self.issues.withLockedValue { $0 }
      let slice = Array(all.dropFirst(startAt).prefix(maxResults))
      return Self.json([
        "startAt": startAt, "maxResults": maxResults, "total": all.count, "issues": slice,
      ])
    }
    api.get("issue", ":key") { req in
      try self.authorize(req)
      let key = req.parameters.get("key")
      guard
        let issue = self.issues.withLockedValue({ $0 }).first(where: { $0["key"] as? String == key }
        )
      else { throw Abort(.notFound) }
      return Self.json(issue)
    }
  }

  private func authorize(_ req: Request) throws {
    guard req.headers.bearerAuthorization?.token == Self.token else {
      throw Abort(.unauthorized)
    }
  }

  private static func json(_ object: Any) -> Response {
    let data = try! JSONSerialization.data(withJSONObject: object)
    return Response(
      status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: data))
  }
}
