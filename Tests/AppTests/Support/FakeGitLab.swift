import Foundation
import NIOConcurrencyHelpers
import Vapor

/// A local GitLab REST API v4 over real HTTP: `GET /api/v4/user`, a project's issues (its
/// path one `%2F`-encoded segment) with `updated_after`, ascending update order and keyset
/// pages through `Link`, and single issues that tests can delete (404) or move elsewhere.
// @unchecked: the JSON dictionaries hold `Any`, but every access goes through the lock box.
final class FakeGitLab: @unchecked Sendable {
  static let token = "glpat-FAKE0123456789"
  static let project = "acme-group/web-shop"
  let app: Application
  let issues: NIOLockedValueBox<[[String: Any]]>
  /// Issues the listing skips but single reads still serve (an offset page that shifted).
  let unlisted = NIOLockedValueBox<Set<Int>>([])

  var baseURL: String { LoopbackFake.baseURL(of: app) }

  static func start() async throws -> FakeGitLab {
    var issues: [[String: Any]] = []
    for page in ["issues-page-1.json", "issues-page-2.json"] {
      issues += try LoopbackFake.fixture("gitlab/\(page)") as! [[String: Any]]
    }
    let fake = FakeGitLab(app: try await Application.make(.testing), issues: issues)
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

  /// Changes an issue as GitLab would, its `updated_at` moved on.
  func update(_ iid: Int, _ change: @escaping @Sendable (inout [String: Any]) -> Void) {
    issues.withLockedValue { all in
      guard let index = all.firstIndex(where: { $0["iid"] as? Int == iid }) else { return }
      change(&all[index])
      all[index]["updated_at"] = ISO8601DateFormatter().string(from: Date())
    }
  }

  func delete(_ iid: Int) {
    issues.withLockedValue { $0.removeAll { $0["iid"] as? Int == iid } }
  }

  private func project(_ req: Request) -> String? {
    req.parameters.get("project").flatMap { $0.removingPercentEncoding }
  }

  private func routes() {
    app.get("api", "v4", "user") { req in
      try self.authorize(req)
      return FakeGitHub.json(["id": 1, "username": "john_smith", "name": "John Smith"])
    }
    app.get("api", "v4", "projects", ":project", "issues") { req in
      try self.authorize(req)
      // the path must arrive as one encoded segment
      guard req.url.path.contains("%2F"), self.project(req) == Self.project else {
        return Self.notFound()
      }
      let since = req.query[String.self, at: "updated_after"] ?? ""
      let perPage = req.query[Int.self, at: "per_page"] ?? 20
      let after = req.query[Int.self, at: "cursor"] ?? 0
      let listed = self.issues.withLockedValue { $0 }
        .filter { LoopbackFake.date($0["updated_at"]) >= LoopbackFake.date(since) }
        .filter { issue in !self.unlisted.withLockedValue { $0.contains(issue["iid"] as? Int ?? 0) }
        }
        .sorted { LoopbackFake.date($0["updated_at"]) < LoopbackFake.date($1["updated_at"]) }
      let slice = Array(listed.dropFirst(after).prefix(perPage))
      let response = FakeGitHub.json(slice)
      if after + perPage < listed.count {
        var next = URLComponents(string: self.baseURL + req.url.path)!
        next.queryItems =
          (req.url.query.map { URLComponents(string: "?" + $0)?.queryItems ?? [] } ?? [])
          .filter { $0.name != "cursor" } + [
            URLQueryItem(name: "cursor", value: "\(after + perPage)")
          ]
        response.headers.add(name: "Link", value: "<\(next.string!)>; rel=\"next\"")
      }
      return response
    }
    app.get("api", "v4", "projects", ":project", "issues", ":iid") { req in
      try self.authorize(req)
      let iid = req.parameters.get("iid", as: Int.self) ?? 0
      guard self.project(req) == Self.project,
        let issue = self.issues.withLockedValue({ $0.first { $0["iid"] as? Int == iid } })
      else { return Self.notFound() }
      return FakeGitHub.json(issue)
    }
  }

  private static func notFound() -> Response {
    let response = FakeGitHub.json(["message": "404 Issue Not Found"])
    response.status = .notFound
    return response
  }

  private func authorize(_ req: Request) throws {
    guard req.headers.first(name: "PRIVATE-TOKEN") == Self.token else {
      throw Abort(.unauthorized, reason: "401 Unauthorized")
    }
  }
}
