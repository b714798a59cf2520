import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import Testing

@testable import Trackers

/// Linear's GraphQL API against a local fake that answers with the documented shapes
/// (`Fixtures/linear/README.md` says where each comes from).
@Suite struct LinearClientTests {
  static let key = "lin_api_FAKE0123456789"

  /// The fake `POST /graphql`: the viewer, two pages of ENG issues (newest first), and single
  /// issues: ENG-123, a missing one answered with 200 (ENG-404) or 400 (ENG-400), one in the
  /// trash (ENG-131) and one now in another team (ENG-7).
  static let handler: @Sendable (FakeRequest) -> FakeResponse = { request in
    guard request.header("Authorization") == key else {
      return .json(#"{"errors":[{"message":"Authentication required"}]}"#, status: 401)
    }
    guard request.method == "POST", request.path == "/graphql",
      let query = request.json?["query"] as? String,
      let variables = request.json?["variables"] as? [String: Any]
    else { return .json(#"{"errors":[{"message":"bad request"}]}"#, status: 400) }
    if query.contains("viewer") { return .fixture("linear/viewer.json") }
    if query.contains("issues(") {
      return variables["after"] == nil
        ? .fixture("linear/issues-page-1.json") : .fixture("linear/issues-page-2.json")
    }
    let single = String(decoding: Fixtures.data("linear/issue-ENG-123.json"), as: UTF8.self)
    switch variables["id"] as? String {
    case "ENG-123": return .json(single)
    case "ENG-404": return .fixture("linear/issue-not-found.json")
    case "ENG-400": return .json(Fixtures.data("linear/issue-not-found.json"), status: 400)
    case "ENG-131":
      return .json(single.replacingOccurrences(of: #""trashed": null"#, with: #""trashed": true"#))
    case "ENG-7":
      return .json(single.replacingOccurrences(of: #""key": "ENG""#, with: #""key": "OPS""#))
    default: return .json(#"{"errors":[{"message":"unexpected"}]}"#, status: 500)
    }
  }

  static func client(
    _ server: FakeServer, _ http: HTTPClient, teams: [String] = ["ENG"],
    retry: RetryPolicy = RetryPolicy(sleep: { _ in })
  ) throws -> any TrackerClient {
    try TrackerRegistry.standard.makeClient(
      TrackerConfiguration(
        type: .linear, baseURL: server.baseURL + "/", credentials: .apiKey(key: key),
        scope: TrackerScope(teams: teams), httpClient: http, pageSize: 2, overlapWindow: 120,
        retryPolicy: retry, outbound: .loopbackOnly()))
  }

  @Test func readsEveryPageAndMovesTheCursorToTheLatestUpdateAtTheEnd() async throws {
    try await withFakeServer(Self.handler) { server, http in
      let linear = try Self.client(server, http)
      let cursor = try #require(Timestamps.parse("2024-05-01T00:02:00Z"))
      let pages = try await collect(linear.fetchIssues(updatedSince: cursor))

      #expect(pages.map { $0.issues.map(\.key) } == [["ENG-123", "ENG-118"], ["ENG-97"]])
      #expect(pages.map(\.isLast) == [false, true])
      // newest first: the latest update is on the first page, the cursor moves on the last
      #expect(pages.map(\.cursor) == [nil, Timestamps.parse("2024-05-14T09:30:00.123Z")])
      let bodies = server.requests.compactMap(\.json)
      let variables = bodies.compactMap { $0["variables"] as? [String: Any] }
      #expect(variables.first?["teamKeys"] as? [String] == ["ENG"])
      #expect(variables.first?["since"] as? String == "2024-05-01T00:00:00Z")
      #expect(variables.first?["first"] as? Int == 2)
      #expect(variables.first?["after"] == nil)
      #expect(variables.last?["after"] as? String == "539068e2-ae88-4d09-bd75-22eb4a59612f")
      #expect((bodies.first?["query"] as? String)?.contains("includeArchived: true") == true)
    }
  }

  @Test func anIssueMapsWithItsStatePriorityLabelsAndAssignee() async throws {
    try await withFakeServer(Self.handler) { server, http in
      let linear = try Self.client(server, http)
      let issue = try await linear.fetchIssue(externalKey: "ENG-123")
      #expect(issue.key == "ENG-123" && issue.externalId == "9cfb482a-81e3-4154-b5b9-2c805e70a02d")
      #expect(issue.statusName == "In Progress" && issue.statusCategory == .inProgress)
      #expect(issue.priority == "High")
      #expect(issue.labels == ["Bug", "area: checkout"])
      #expect(issue.assignee?.name == "Amélie Laurent")
      #expect(issue.assignee?.email == "amelie@acme.example")
      #expect(issue.descriptionMarkdown.contains("Crème brûlée ✓ 日本語"))
      #expect(issue.browseURL.hasPrefix("https://linear.app/acme/issue/ENG-123/"))
      let raw = try JSONValue(parsing: issue.rawJSON)
      #expect(raw["identifier"]?.stringValue == "ENG-123")

      let pages = try await collect(linear.fetchIssues(updatedSince: nil))
      let byKey = Dictionary(
        uniqueKeysWithValues: pages.flatMap(\.issues).map { ($0.key, $0) })
      #expect(byKey["ENG-118"]?.statusCategory == .done && byKey["ENG-118"]?.priority == "Low")
      #expect(byKey["ENG-118"]?.descriptionMarkdown == "" && byKey["ENG-118"]?.assignees == [])
      #expect(byKey["ENG-97"]?.statusCategory == .done && byKey["ENG-97"]?.priority == nil)
      let since = server.requests.compactMap(\.json).last?["variables"] as? [String: Any]
      #expect(since?["since"] as? String == "1970-01-01T00:00:00Z")
    }
  }

  @Test func missingTrashedAndMovedIssuesAreNotFoundByKey() async throws {
    try await withFakeServer(Self.handler) { server, http in
      let linear = try Self.client(server, http)
      for key in ["ENG-404", "ENG-400", "ENG-131", "ENG-7", "OPS-1"] {
        await #expect {
          _ = try await linear.fetchIssue(externalKey: key)
        } throws: { error in
          guard case TrackerError.notFound(let detail) = error else { return false }
          return detail.contains(key)
        }
      }
      // OPS is not a team of this tracker: nothing was asked for it
      #expect(
        !server.requests.contains {
          (($0.json?["variables"] as? [String: Any])?["id"] as? String) == "OPS-1"
        })
    }
  }

  @Test func rateLimitsInTheBodyAreWaitedOut() async throws {
    let calls = NIOLockedValueBox(0)
    let waits = NIOLockedValueBox<[TimeInterval]>([])
    let reset = (Date().timeIntervalSince1970 + 280) * 1000
    let limited: @Sendable (FakeRequest) -> FakeResponse = { request in
      let call = calls.withLockedValue {
        $0 += 1
        return $0
      }
      switch call {
      case 1:  // 400 with RATELIMITED, the reset in epoch milliseconds
        return .json(
          Fixtures.data("linear/rate-limited.json"), status: 400,
          headers: [
            ("X-RateLimit-Requests-Remaining", "0"),
            ("X-RateLimit-Requests-Reset", String(Int(reset))),
          ])
      case 2:  // 200 with RATELIMITED and the complexity budget spent
        return .json(
          Fixtures.data("linear/rate-limited.json"),
          headers: [
            ("X-RateLimit-Complexity-Remaining", "0"),
            ("X-RateLimit-Complexity-Reset", String(Int(reset))),
          ])
      default:
        return Self.handler(request)
      }
    }
    try await withFakeServer(limited) { server, http in
      let retry = RetryPolicy(
        random: { 0 }, sleep: { seconds in waits.withLockedValue { $0.append(seconds) } })
      let linear = try Self.client(server, http, retry: retry)
      let account = try await linear.authenticate()
      #expect(account.name == "Jordan Rivera" && account.email == "jordan@acme.example")
      let recorded = waits.withLockedValue { $0 }
      #expect(recorded.count == 2)
      #expect(recorded.allSatisfy { (100...281).contains($0) })
    }
  }

  @Test func aRefusedKeyAndABadScopeAreRefused() async throws {
    try await withFakeServer(Self.handler) { server, http in
      let linear = try TrackerRegistry.standard.makeClient(
        TrackerConfiguration(
          type: .linear, baseURL: server.baseURL, credentials: .apiKey(key: "wrong"),
          scope: TrackerScope(teams: ["ENG"]), httpClient: http, outbound: .loopbackOnly()))
      await #expect(throws: TrackerError.self) { try await linear.authenticate() }
      for scope in [TrackerScope(), TrackerScope(teams: ["eng"])] {
        #expect(throws: TrackerError.self) {
          _ = try TrackerRegistry.standard.makeClient(
            TrackerConfiguration(
              type: .linear, baseURL: server.baseURL, credentials: .apiKey(key: Self.key),
              scope: scope, httpClient: http))
        }
      }
      #expect(TrackerScope.linearTeam(of: "ENG-123") == "ENG")
      #expect(
        TrackerScope.linearTeam(of: "ENG-0") == nil && TrackerScope.linearTeam(of: "x") == nil)
    }
  }
}
