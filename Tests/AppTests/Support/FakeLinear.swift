import Foundation
import NIOConcurrencyHelpers
import Vapor

/// A local Linear GraphQL API over real HTTP: `POST /graphql` answering the client's
/// `viewer`, `issues` (team and `updatedAt` filters, newest first, `first`/`after` pages) and
/// `issue(id:)` operations, with issues that tests can change, trash or delete.
// @unchecked: the JSON dictionaries hold `Any`, but every access goes through the lock box.
final class FakeLinear: @unchecked Sendable {
  static let key = "lin_api_FAKE0123456789"
  let app: Application
  let issues: NIOLockedValueBox<[[String: Any]]>

  var baseURL: String { LoopbackFake.baseURL(of: app) }

  static func start() async throws -> FakeLinear {
    var issues: [[String: Any]] = []
    for page in ["issues-page-1.json", "issues-page-2.json"] {
      let json = try LoopbackFake.fixture("linear/\(page)") as! [String: Any]
      let connection = (json["data"] as! [String: Any])["issues"] as! [String: Any]
      issues += connection["nodes"] as! [[String: Any]]
    }
    let fake = FakeLinear(app: try await Application.make(.testing), issues: issues)
    fake.routes()
    try LoopbackFake.listen(fake.app)
    return fake
  }

  private init(app: Application, issues: [[String: Any]]) {
    self.app = app
    self.issues = NIOLockedValueBox(issues)
  }

  func stop() async throws {
    try await LoopbackFake.stop(app)
  }

  /// Changes an issue as Linear would, its `updatedAt` moved on.
  func update(_ identifier: String, _ change: @escaping @Sendable (inout [String: Any]) -> Void) {
    issues.withLockedValue { all in
      guard let index = all.firstIndex(where: { $0["identifier"] as? String == identifier })
      else { return }
      change(&all[index])
      all[index]["updatedAt"] = ISO8601DateFormatter().string(from: Date())
    }
  }

  func delete(_ identifier: String) {
    issues.withLockedValue { $0.removeAll { $0["identifier"] as? String == identifier } }
  }

  private func routes() {
    app.post("graphql") { req -> Response in
      guard req.headers.first(name: .authorization) == Self.key else {
        return Self.errors("Authentication required, not authenticated", status: .unauthorized)
      }
      guard let body = req.body.data,
        let request = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any],
        let query = request["query"] as? String
      else { return Self.errors("Invalid request", status: .badRequest) }
      let variables = request["variables"] as? [String: Any] ?? [:]
      if query.contains("viewer") {
        return FakeGitHub.json([
          "data": [
            "viewer": ["id": "e5b0c7a4", "name": "Jordan Rivera", "email": "jordan@acme.example"]
          ]
        ])
      }
      if query.contains("issues(") { return self.page(variables) }
      let id = variables["id"] as? String
      guard
        let issue = self.issues.withLockedValue({ $0.first { $0["identifier"] as? String == id } })
      else { return Self.errors("Entity not found: Issue", status: .ok) }
      return FakeGitHub.json(["data": ["issue": issue]])
    }
  }

  private func page(_ variables: [String: Any]) -> Response {
    let teams = variables["teamKeys"] as? [String] ?? []
    let since = variables["since"] as? String ?? ""
    let first = variables["first"] as? Int ?? 50
    let after = (variables["after"] as? String).flatMap(Int.init) ?? 0
    let listed = issues.withLockedValue { $0 }
      .filter {
        teams.contains(($0["team"] as? [String: Any])?["key"] as? String ?? "")
          && LoopbackFake.date($0["updatedAt"]) >= LoopbackFake.date(since)
      }
      .sorted { LoopbackFake.date($0["updatedAt"]) > LoopbackFake.date($1["updatedAt"]) }
    let slice = Array(listed.dropFirst(after).prefix(first))
    let more = after + first < listed.count
    return FakeGitHub.json([
      "data": [
        "issues": [
          "nodes": slice,
          "pageInfo": [
            "hasNextPage": more, "endCursor": more ? "\(after + first)" as Any : NSNull(),
          ],
        ]
      ]
    ])
  }

  private static func errors(_ message: String, status: HTTPResponseStatus) -> Response {
    let response = FakeGitHub.json(["errors": [["message": message]], "data": NSNull()])
    response.status = status
    return response
  }
}
