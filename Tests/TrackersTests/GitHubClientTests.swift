import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import Testing

@testable import Trackers

/// GitHub Issues against a local fake that answers with the documentation's shapes
/// (`Fixtures/github/README.md` says where each comes from).
@Suite struct GitHubClientTests {
  static let token = "github_pat_11ABCDEFG"
  static let repository = "octo-org/octo-repo"

  /// The fake: two pages for `octo-org/octo-repo` (the first with a `Link` to the second and a
  /// pull request), none for `octo-org/empty`, and single issues by number.
  static func handler(_ server: @escaping @Sendable () -> String)
    -> @Sendable (FakeRequest) -> FakeResponse
  {
    { request in
      guard request.header("Authorization") == "Bearer \(token)" else {
        return .json(#"{"message":"Bad credentials","status":"401"}"#, status: 401)
      }
      switch request.path {
      case "/repos/octo-org/octo-repo/issues":
        if request.query["page"] == "2" { return .fixture("github/issues-page-2.json") }
        let next = "\(server())/repos/octo-org/octo-repo/issues?page=2&state=all"
        return .json(
          Fixtures.data("github/issues-page-1.json"),
          headers: [("Link", "<\(next)>; rel=\"next\", <\(next)>; rel=\"last\"")])
      case "/repos/octo-org/empty/issues":
        return .json("[]")
      case "/repos/octo-org/octo-repo/issues/1347":
        return .fixture("github/issue-1347.json")
      case "/repos/octo-org/octo-repo/issues/1349":
        let page = Fixtures.data("github/issues-page-1.json")
        return .json((try? JSONSlicer.arrayElements(in: page))?.last ?? Data())
      case "/repos/octo-org/octo-repo/issues/1360":
        return .json(#"{"message":"This issue was deleted","status":"410"}"#, status: 410)
      case "/repos/octo-org/octo-repo/issues/1361":
        return FakeResponse(
          status: 301,
          headers: [("Location", "\(server())/repositories/42/issues/7")], body: Data())
      case "/user":
        return .fixture("github/user.json")
      default:
        return .json(#"{"message":"Not Found","status":"404"}"#, status: 404)
      }
    }
  }

  static func client(
    _ server: FakeServer, _ http: HTTPClient,
    repositories: [String] = [repository, "octo-org/empty"],
    inProgressLabel: String? = nil, retry: RetryPolicy = RetryPolicy(sleep: { _ in })
  ) throws -> any TrackerClient {
    try TrackerRegistry.standard.makeClient(
      TrackerConfiguration(
        type: .github, baseURL: server.baseURL, credentials: .pat(token: token),
        scope: TrackerScope(repositories: repositories, inProgressLabel: inProgressLabel),
        httpClient: http, pageSize: 3, overlapWindow: 120, retryPolicy: retry,
        outbound: .loopbackOnly()))
  }

  @Test func pagesEachRepositoryAndMovesTheCursorOnlyAtTheEnd() async throws {
    let base = NIOLockedValueBox("")
    try await withFakeServer(Self.handler { base.withLockedValue { $0 } }) { server, http in
      base.withLockedValue { $0 = server.baseURL }
      let github = try Self.client(server, http)
      let cursor = try #require(Timestamps.parse("2024-05-01T00:02:00Z"))
      let pages = try await collect(github.fetchIssues(updatedSince: cursor))

      // pull request #1349 is skipped; the empty repository is still asked
      #expect(
        pages.map { $0.issues.map(\.key) } == [
          ["octo-org/octo-repo#1347", "octo-org/octo-repo#1348"], ["octo-org/octo-repo#1350"], [],
        ])
      #expect(pages.map(\.isLast) == [false, false, true])
      #expect(pages.map(\.cursor) == [nil, nil, Timestamps.parse("2024-05-06T07:30:55Z")])
      let lists = server.requests.filter { $0.path.hasSuffix("/issues") }
      #expect(
        lists.map(\.path) == [
          "/repos/octo-org/octo-repo/issues", "/repos/octo-org/octo-repo/issues",
          "/repos/octo-org/empty/issues",
        ])
      let first = try #require(lists.first)
      #expect(first.query["since"] == "2024-05-01T00:00:00Z")
      #expect(first.query["state"] == "all")
      #expect(first.query["sort"] == "updated" && first.query["direction"] == "asc")
      #expect(first.query["per_page"] == "3")
      #expect(first.header("Accept") == "application/vnd.github+json")
      #expect(first.header("X-GitHub-Api-Version") == "2022-11-28")
      #expect(lists[1].query["page"] == "2")
      #expect(lists[2].query["since"] == "2024-05-01T00:00:00Z")
    }
  }

  @Test func anIssueMapsWithItsLabelsAssigneesCriteriaAndUnicode() async throws {
    try await withFakeServer(Self.handler { "" }) { server, http in
      let github = try Self.client(server, http, inProgressLabel: "bug")
      let issue = try await github.fetchIssue(externalKey: "octo-org/octo-repo#1347")
      #expect(issue.key == "octo-org/octo-repo#1347")
      #expect(issue.externalId == "2284519001")
      #expect(issue.labels == ["bug", "area: checkout"])
      #expect(issue.assignees.map(\.name) == ["octocat", "hubot"])
      #expect(issue.statusName == "open")
      #expect(issue.statusCategory == .inProgress)
      #expect(issue.descriptionMarkdown.contains("Crème brûlée ✓ 日本語"))
      #expect(issue.browseURL == "https://github.com/octo-org/octo-repo/issues/1347")
      #expect(issue.updatedAt == Timestamps.parse("2024-05-02T09:15:12Z"))
      let raw = try JSONValue(parsing: issue.rawJSON)
      #expect(raw["milestone"]?["title"]?.stringValue == "v1.0")

      let unlabelled = try Self.client(server, http)
      #expect(
        try await unlabelled.fetchIssue(externalKey: "octo-org/octo-repo#1347").statusCategory
          == .todo)
    }
  }

  @Test func deletedTransferredMissingAndPullRequestsAreNotFoundByKey() async throws {
    try await withFakeServer(Self.handler { "" }) { server, http in
      let github = try Self.client(server, http)
      for number in [1360, 1361, 1362, 1349] {
        let key = "octo-org/octo-repo#\(number)"
        await #expect {
          _ = try await github.fetchIssue(externalKey: key)
        } throws: { error in
          guard case TrackerError.notFound(let detail) = error else { return false }
          return detail.contains(key)
        }
      }
      await #expect(throws: TrackerError.self) {
        _ = try await github.fetchIssue(externalKey: "someone/else#1")
      }
    }
  }

  @Test func rateLimitsAreWaitedOut() async throws {
    let calls = NIOLockedValueBox(0)
    let waits = NIOLockedValueBox<[TimeInterval]>([])
    let reset = Int(Date().timeIntervalSince1970) + 280
    let limited: @Sendable (FakeRequest) -> FakeResponse = { request in
      let call = calls.withLockedValue {
        $0 += 1
        return $0
      }
      switch call {
      case 1:  // the primary limit: 403 with nothing remaining until the reset
        return .json(
          Fixtures.data("github/rate-limited.json"), status: 403,
          headers: [("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", String(reset))])
      case 2:  // a secondary limit: 429 with Retry-After
        return .json(
          #"{"message":"You have exceeded a secondary rate limit."}"#, status: 429,
          headers: [("Retry-After", "7")])
      default:
        return Self.handler { "" }(request)
      }
    }
    try await withFakeServer(limited) { server, http in
      let retry = RetryPolicy(
        random: { 0 }, sleep: { seconds in waits.withLockedValue { $0.append(seconds) } })
      let github = try Self.client(server, http, retry: retry)
      let account = try await github.authenticate()
      #expect(account.name == "monalisa octocat" && account.email == "octocat@github.com")
      let recorded = waits.withLockedValue { $0 }
      #expect(recorded.count == 2)
      // until the reset, 280 s after the test began, less however long it took to get there (up
      // to three minutes on a loaded machine; an ignored reset would back off for a second)
      #expect((100...281).contains(recorded.first ?? 0))
      #expect(recorded.last == 7)
    }
  }

  @Test func aRefusedTokenIsAnAuthenticationFailure() async throws {
    try await withFakeServer(Self.handler { "" }) { server, http in
      let github = try TrackerRegistry.standard.makeClient(
        TrackerConfiguration(
          type: .github, baseURL: server.baseURL, credentials: .pat(token: "wrong"),
          scope: TrackerScope(repositories: [Self.repository]), httpClient: http,
          outbound: .loopbackOnly()))
      await #expect(throws: TrackerError.self) { try await github.authenticate() }
      for scope in [TrackerScope(), TrackerScope(repositories: ["not a repository"])] {
        #expect(throws: TrackerError.self) {
          _ = try TrackerRegistry.standard.makeClient(
            TrackerConfiguration(
              type: .github, baseURL: server.baseURL, credentials: .pat(token: Self.token),
              scope: scope, httpClient: http))
        }
      }
    }
  }

  @Test func linkHeadersAndKeysParse() {
    #expect(
      LinkHeader.next(
        #"<https://api.github.com/repositories/1300192/issues?page=2>; rel="prev", <https://api.github.com/repositories/1300192/issues?page=4>; rel="next""#
      )
        == "https://api.github.com/repositories/1300192/issues?page=4")
    #expect(LinkHeader.next(#"<https://x/issues?page=1>; rel="first""#) == nil)
    #expect(LinkHeader.next(nil) == nil)
    #expect(
      ScopedIssueKey("octo-org/octo-repo#12")
        == ScopedIssueKey(source: "octo-org/octo-repo", number: 12))
    #expect(ScopedIssueKey("a/b/c#7")?.source == "a/b/c")
    #expect(
      ScopedIssueKey("#12") == nil && ScopedIssueKey("a/b#0") == nil
        && ScopedIssueKey("a/b#x") == nil)
    let position = ListingPosition(
      source: 1, url: "https://x/y?a=b c", latest: Date(timeIntervalSince1970: 12.5))
    #expect(ListingPosition(position.token) == position)
  }
}
