import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import Testing

@testable import Trackers

/// GitLab Issues against a local fake that answers with the documentation's shapes
/// (`Fixtures/gitlab/README.md` says where each comes from).
@Suite struct GitLabClientTests {
  static let token = "glpat-FAKE0123456789"
  static let project = "acme-group/web-shop"

  /// The fake: two keyset pages for `acme-group/web-shop` (the first with a `Link` to the
  /// second), none for `acme-group/sub/empty`, and single issues by iid.
  static func handler(_ server: @escaping @Sendable () -> String)
    -> @Sendable (FakeRequest) -> FakeResponse
  {
    { request in
      guard request.header("PRIVATE-TOKEN") == token else {
        return .json(#"{"message":"401 Unauthorized"}"#, status: 401)
      }
      switch request.path {
      case "/api/v4/projects/acme-group/web-shop/issues":
        if request.query["cursor"] == "next" { return .fixture("gitlab/issues-page-2.json") }
        let next =
          "\(server())/api/v4/projects/1742/issues?order_by=updated_at&pagination=keyset"
          + "&per_page=2&sort=asc&state=all&cursor=next"
        return .json(
          Fixtures.data("gitlab/issues-page-1.json"), headers: [("Link", "<\(next)>; rel=\"next\"")]
        )
      case "/api/v4/projects/1742/issues":
        return .fixture("gitlab/issues-page-2.json")
      case "/api/v4/projects/acme-group/sub/empty/issues":
        return .json("[]")
      case "/api/v4/projects/acme-group/offset/issues":  // offset pages, no Link header
        return request.query["page"] == "2"
          ? .json(
            Fixtures.data("gitlab/issues-page-2.json"),
            headers: [("x-page", "2"), ("x-next-page", "")])
          : .json(
            Fixtures.data("gitlab/issues-page-1.json"),
            headers: [("x-page", "1"), ("x-next-page", "2")])
      case "/api/v4/projects/acme-group/web-shop/issues/42":
        return .fixture("gitlab/issue-42.json")
      case "/api/v4/projects/acme-group/web-shop/issues/45":
        return .fixture("gitlab/issue-moved.json")
      case "/api/v4/user":
        return .fixture("gitlab/user.json")
      default:
        return .json(#"{"message":"404 Issue Not Found"}"#, status: 404)
      }
    }
  }

  static func client(
    _ server: FakeServer, _ http: HTTPClient, baseURL: String? = nil,
    projects: [String] = [project, "acme-group/sub/empty"], inProgressLabel: String? = nil,
    retry: RetryPolicy = RetryPolicy(sleep: { _ in })
  ) throws -> any TrackerClient {
    try TrackerRegistry.standard.makeClient(
      TrackerConfiguration(
        type: .gitlab, baseURL: baseURL ?? server.baseURL, credentials: .pat(token: token),
        scope: TrackerScope(projects: projects, inProgressLabel: inProgressLabel),
        httpClient: http, pageSize: 2, overlapWindow: 120, retryPolicy: retry,
        outbound: .loopbackOnly()))
  }

  @Test func pagesEachProjectByKeysetAndMovesTheCursorOnlyAtTheEnd() async throws {
    let base = NIOLockedValueBox("")
    try await withFakeServer(Self.handler { base.withLockedValue { $0 } }) { server, http in
      base.withLockedValue { $0 = server.baseURL }
      let gitlab = try Self.client(server, http)
      let cursor = try #require(Timestamps.parse("2024-05-01T00:02:00Z"))
      let pages = try await collect(gitlab.fetchIssues(updatedSince: cursor))

      #expect(
        pages.map { $0.issues.map(\.key) } == [
          ["acme-group/web-shop#42", "acme-group/web-shop#43"], ["acme-group/web-shop#44"], [],
        ])
      #expect(pages.map(\.isLast) == [false, false, true])
      #expect(pages.map(\.cursor) == [nil, nil, Timestamps.parse("2024-05-04T08:00:00.789Z")])
      let lists = server.requests.filter { $0.path.hasSuffix("/issues") }
      // the project path travels as one segment, its slashes encoded
      #expect(lists.first?.uri.hasPrefix("/api/v4/projects/acme-group%2Fweb-shop/issues?") == true)
      #expect(
        lists.last?.uri.hasPrefix("/api/v4/projects/acme-group%2Fsub%2Fempty/issues?") == true)
      let first = try #require(lists.first)
      #expect(first.query["updated_after"] == "2024-05-01T00:00:00Z")
      #expect(first.query["pagination"] == "keyset")
      #expect(first.query["order_by"] == "updated_at" && first.query["sort"] == "asc")
      #expect(first.query["state"] == "all" && first.query["scope"] == "all")
      #expect(first.query["per_page"] == "2")
      #expect(lists[1].query["cursor"] == "next")
      #expect(first.header("Authorization") == nil)
    }
  }

  @Test func offsetPagesWithoutALinkHeaderFollowXNextPage() async throws {
    try await withFakeServer(Self.handler { "" }) { server, http in
      let gitlab = try Self.client(server, http, projects: ["acme-group/offset"])
      let pages = try await collect(gitlab.fetchIssues(updatedSince: nil))
      #expect(pages.map(\.issues.count) == [2, 1])
      let second = try #require(server.requests.last)
      #expect(second.query["page"] == "2" && second.query["order_by"] == "updated_at")
      #expect(second.uri.hasPrefix("/api/v4/projects/acme-group%2Foffset/issues?"))
    }
  }

  @Test func anIssueMapsWithItsLabelsAssigneesCriteriaAndUploads() async throws {
    try await withFakeServer(Self.handler { "" }) { server, http in
      // a base URL given with its API path works as well
      let gitlab = try Self.client(
        server, http, baseURL: server.baseURL + "/api/v4/", inProgressLabel: "bug")
      let issue = try await gitlab.fetchIssue(externalKey: "acme-group/web-shop#42")
      #expect(issue.key == "acme-group/web-shop#42")
      #expect(issue.externalId == "90142")
      #expect(issue.labels == ["area::checkout", "bug"])
      #expect(issue.assignees.map(\.name) == ["Dr. Luella Kovacek", "Zoë Ångström"])
      #expect(issue.assignees.map(\.externalId) == ["9", "27"])
      #expect(issue.statusName == "opened" && issue.statusCategory == .inProgress)
      #expect(issue.type == "issue")
      #expect(issue.title.contains("Crème brûlée ✓ 日本語"))
      #expect(
        issue.descriptionMarkdown.contains(
          "](https://gitlab.example.com/acme-group/web-shop/uploads/7f0c9b3e2a1d4c5b8e6f/"))
      #expect(issue.browseURL == "https://gitlab.example.com/acme-group/web-shop/-/issues/42")
      #expect(issue.updatedAt == Timestamps.parse("2024-05-02T09:15:12.123Z"))
      #expect(!issue.isDeleted)
      // no "Acceptance criteria" heading: the task list is the checklist
      #expect(
        issue.criteriaMarkdown == "- [x] Reproduced on staging\n- [ ] Reproduced on production")
      let raw = try JSONValue(parsing: issue.rawJSON)
      #expect(raw["milestone"]?["title"]?.stringValue == "v1.0")

      let unlabelled = try Self.client(server, http)
      #expect(
        try await unlabelled.fetchIssue(externalKey: "acme-group/web-shop#42").statusCategory
          == .todo)
    }
  }

  @Test func movedMissingAndForeignIssuesAreNotFoundByKey() async throws {
    try await withFakeServer(Self.handler { "" }) { server, http in
      let gitlab = try Self.client(server, http)
      for number in [45, 46] {
        let key = "acme-group/web-shop#\(number)"
        await #expect {
          _ = try await gitlab.fetchIssue(externalKey: key)
        } throws: { error in
          guard case TrackerError.notFound(let detail) = error else { return false }
          return detail.contains(key)
        }
      }
      await #expect(throws: TrackerError.self) {
        _ = try await gitlab.fetchIssue(externalKey: "someone/else#1")
      }
    }
  }

  @Test func aListedMovedIssueIsDeleted() throws {
    let raw = Fixtures.data("gitlab/issue-moved.json")
    let issue = try GitLabIssueMapper(inProgressLabel: nil).map(
      JSONValue(parsing: raw), project: Self.project, raw: raw)
    #expect(issue.isDeleted && issue.statusCategory == .done)
  }

  @Test func rateLimitsAreWaitedOutAndTheAccountIsRead() async throws {
    let calls = NIOLockedValueBox(0)
    let waits = NIOLockedValueBox<[TimeInterval]>([])
    let reset = Int(Date().timeIntervalSince1970) + 280
    let limited: @Sendable (FakeRequest) -> FakeResponse = { request in
      let call = calls.withLockedValue {
        $0 += 1
        return $0
      }
      switch call {
      case 1:  // Rack::Attack's throttle: plain text, the reset as epoch seconds
        return FakeResponse(
          status: 429,
          headers: [
            ("Content-Type", "text/plain"), ("RateLimit-Remaining", "0"),
            ("RateLimit-Reset", String(reset)),
          ], body: Data("Retry later".utf8))
      case 2:  // an application limit with Retry-After
        return .json(
          Fixtures.data("gitlab/rate-limited.json"), status: 429, headers: [("Retry-After", "7")])
      default:
        return Self.handler { "" }(request)
      }
    }
    try await withFakeServer(limited) { server, http in
      let retry = RetryPolicy(
        random: { 0 }, sleep: { seconds in waits.withLockedValue { $0.append(seconds) } })
      let gitlab = try Self.client(server, http, retry: retry)
      let account = try await gitlab.authenticate()
      #expect(account.name == "John Smith" && account.email == "john@example.com")
      #expect(account.externalId == "1")
      let recorded = waits.withLockedValue { $0 }
      #expect(recorded.count == 2)
      #expect((100...281).contains(recorded.first ?? 0))
      #expect(recorded.last == 7)
    }
  }

  @Test func aRefusedTokenAndABadScopeAreRefused() async throws {
    try await withFakeServer(Self.handler { "" }) { server, http in
      let gitlab = try TrackerRegistry.standard.makeClient(
        TrackerConfiguration(
          type: .gitlab, baseURL: server.baseURL, credentials: .pat(token: "wrong"),
          scope: TrackerScope(projects: [Self.project]), httpClient: http,
          outbound: .loopbackOnly()))
      await #expect(throws: TrackerError.self) { try await gitlab.authenticate() }
      for scope in [TrackerScope(), TrackerScope(projects: ["web-shop"])] {
        #expect(throws: TrackerError.self) {
          _ = try TrackerRegistry.standard.makeClient(
            TrackerConfiguration(
              type: .gitlab, baseURL: server.baseURL, credentials: .pat(token: Self.token),
              scope: scope, httpClient: http))
        }
      }
      #expect(TrackerScope.isProjectPath("a/b/c/d") && !TrackerScope.isProjectPath("a//b"))
    }
  }
}
