import Foundation
import NIOConcurrencyHelpers
import Vapor

/// A local GitHub REST API over real HTTP: `GET /user`, a repository's issues with `since`,
/// `state=all`, ascending update order and `Link` paging (pull requests included, as GitHub
/// lists them), and single issues that tests can make deleted (410) or transferred (301).
// @unchecked: the JSON dictionaries hold `Any`, but every access goes through the lock boxes.
final class FakeGitHub: @unchecked Sendable {
  static let token = "github_pat_11FAKE"
  static let repository = "octo-org/octo-repo"
  let app: Application
  let issues: NIOLockedValueBox<[[String: Any]]>
  /// Issue numbers GitHub no longer serves here, with the status it answers (410, 301).
  let gone = NIOLockedValueBox<[Int: Int]>([:])

  var baseURL: String { LoopbackFake.baseURL(of: app) }

  static func start() async throws -> FakeGitHub {
    var issues: [[String: Any]] = []
    for page in ["issues-page-1.json", "issues-page-2.json"] {
      issues += try LoopbackFake.fixture("github/\(page)") as! [[String: Any]]
    }
    let fake = FakeGitHub(app: try await Application.make(.testing), issues: issues)
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

  private func routes() {
    app.get("user") { req in
      try self.authorize(req)
      return Self.json(["login": "octocat", "id": 1, "name": "monalisa octocat"])
    }
    app.get("repos", ":owner", ":repo", "issues") { req in
      try self.authorize(req)
      let repository = "\(req.parameters.get("owner") ?? "")/\(req.parameters.get("repo") ?? "")"
      guard repository == Self.repository else { return Self.json([] as [Any]) }
      let since = req.query[String.self, at: "since"] ?? ""
      let perPage = req.query[Int.self, at: "per_page"] ?? 30
      let page = req.query[Int.self, at: "page"] ?? 1
      let listed = self.issues.withLockedValue { $0 }
        .filter { ($0["updated_at"] as? String ?? "") >= since }
        .sorted { ($0["updated_at"] as? String ?? "") < ($1["updated_at"] as? String ?? "") }
      let slice = Array(listed.dropFirst((page - 1) * perPage).prefix(perPage))
      let response = Self.json(slice)
      if page * perPage < listed.count {
        var next = URLComponents(string: self.baseURL + req.url.path)!
        next.queryItems =
          (req.url.query.map { URLComponents(string: "?" + $0)?.queryItems ?? [] } ?? [])
          .filter { $0.name != "page" } + [URLQueryItem(name: "page", value: String(page + 1))]
        response.headers.add(name: "Link", value: "<\(next.string!)>; rel=\"next\"")
      }
      return response
    }
    app.get("repos", ":owner", ":repo", "issues", ":number") { req in
      try self.authorize(req)
      let repository = "\(req.parameters.get("owner") ?? "")/\(req.parameters.get("repo") ?? "")"
      let number = req.parameters.get("number", as: Int.self) ?? 0
      if let status = self.gone.withLockedValue({ $0[number] }) {
        let response = Self.json(["message": status == 410 ? "This issue was deleted" : "Moved"])
        response.status = HTTPResponseStatus(statusCode: status)
        if status == 301 {
          response.headers.add(name: "Location", value: self.baseURL + "/repositories/9/issues/1")
        }
        return response
      }
      guard repository == Self.repository,
        let issue = self.issues.withLockedValue({ $0.first { $0["number"] as? Int == number } })
      else {
        let response = Self.json(["message": "Not Found"])
        response.status = .notFound
        return response
      }
      return Self.json(issue)
    }
  }

  private func authorize(_ req: Request) throws {
    guard req.headers.first(name: .authorization) == "Bearer \(Self.token)" else {
      throw Abort(.unauthorized, reason: "Bad credentials")
    }
  }

  static func json(_ object: Any) -> Response {
    let response = Response(status: .ok)
    response.headers.contentType = .json
    response.body = .init(data: try! JSONSerialization.data(withJSONObject: object))
    return response
  }
}
