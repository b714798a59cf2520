import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import Testing

@testable import Trackers

/// Jira Cloud against a local fake of `api.atlassian.com/ex/jira/{cloudId}/rest/api/3`.
@Suite struct JiraCloudClientTests {
  static let cloudId = "7f3a9c2e-5b1d-4e8a-9c0f-2d6b8e4a1c37"
  static let apiPrefix = "/ex/jira/\(cloudId)/rest/api/3"
  static let myself =
    #"{"accountId":"712020:3f1c9b7e-8a2d-4c5e-9f01-6b2a7d4e8c13","displayName":"Lena Fischer","emailAddress":"lena.fischer@acme-shop.example","timeZone":"Europe/Berlin"}"#

  static var page1Token: String {
    Fixtures.json("jira-cloud/search-jql-page-1.json")["nextPageToken"]?.string ?? ""
  }

  /// The fake Jira Cloud API; `prefix` is the API path prefix (OAuth gateway or site).
  static func jira(prefix: String = apiPrefix, token: String? = "access-1")
    -> @Sendable (FakeRequest) -> FakeResponse
  {
    { request in
      if let token, request.header("Authorization") != "Bearer \(token)" {
        return .json(#"{"code":401,"message":"Unauthorized"}"#, status: 401)
      }
      switch (request.method, request.path) {
      case ("GET", prefix + "/myself"):
        return .json(myself)
      case ("GET", prefix + "/field"):
        return .fixture("jira-cloud/field.json")
      case ("POST", prefix + "/search/jql"):
        let next = request.json?["nextPageToken"] as? String
        if next == nil { return .fixture("jira-cloud/search-jql-page-1.json") }
        if next == page1Token { return .fixture("jira-cloud/search-jql-page-2.json") }
        return .json(#"{"errorMessages":["bad token"]}"#, status: 400)
      case ("GET", prefix + "/issue/SHOP-142"):
        let issue = try? JSONSlicer.arrayElements(
          ofMember: "issues", in: Fixtures.data("jira-cloud/search-jql-page-1.json"))[0]
        return .json(issue ?? Data())
      case ("GET", prefix + "/search"):
        return .json(
          #"{"errorMessages":["The requested API has been removed. Please migrate to the /rest/api/3/search/jql API."],"errors":{}}"#,
          status: 410)
      default:
        return .notFound
      }
    }
  }

  static func configuration(
    _ server: FakeServer, _ client: HTTPClient, provider: any AccessTokenProvider,
    retry: RetryPolicy = RetryPolicy(sleep: { _ in }), jql: String? = "project = SHOP"
  ) -> TrackerConfiguration {
    TrackerConfiguration(
      type: .jiraCloud, baseURL: "https://acme-shop.atlassian.net",
      credentials: .oauth2(cloudId: cloudId, provider: provider), jql: jql, httpClient: client,
      atlassian: AtlassianEndpoints(authURL: server.baseURL, apiURL: server.baseURL),
      pageSize: 2, retryPolicy: retry, outbound: .loopbackOnly())
  }

  @Test func authenticateReadsMyself() async throws {
    try await withFakeServer(Self.jira()) { server, client in
      let jira = try JiraCloudClient(
        configuration: Self.configuration(
          server, client, provider: FakeTokenProvider(current: "access-1")))
      let account = try await jira.authenticate()
      #expect(account.name == "Lena Fischer")
      #expect(account.timeZone == "Europe/Berlin")
      #expect(account.externalId == "712020:3f1c9b7e-8a2d-4c5e-9f01-6b2a7d4e8c13")
    }
  }

  @Test func deltaSyncPagesWithTokenAndUserTimeZone() async throws {
    try await withFakeServer(Self.jira()) { server, client in
      let jira = try JiraCloudClient(
        configuration: Self.configuration(
          server, client, provider: FakeTokenProvider(current: "access-1")))
      // Cursor 07:20:30Z, overlap 5 min → 07:15 UTC → 09:15 in Europe/Berlin (CEST).
      let cursor = try #require(Timestamps.parse("2025-06-02T07:20:30Z"))
      let pages = try await collect(jira.fetchIssues(updatedSince: cursor))

      // check: two pages, the documented order, the tie broken by key
      #expect(pages.map(\.number) == [1, 2])
      #expect(pages.map(\.isLast) == [false, true])
      #expect(
        pages.flatMap(\.issues).map(\.key) == ["SHOP-142", "SHOP-139", "SHOP-147", "SHOP-151"])
      #expect(pages[1].latestUpdatedAt == Timestamps.parse("2025-06-02T11:03:15.004+0200"))

      let searches = server.requests.filter { $0.path.hasSuffix("/search/jql") }
      #expect(searches.count == 2)
      let body = try #require(searches.first?.json)
      #expect(
        body["jql"] as? String
          == #"(project = SHOP) AND updated >= "2025/06/02 09:15" ORDER BY updated ASC, key ASC"#)
      #expect((body["fields"] as? [String])?.contains("customfield_10047") == true)
      #expect((body["fields"] as? [String])?.contains("summary") == true)
      #expect(body["maxResults"] as? Int == 2)
      #expect(body["nextPageToken"] == nil)
      #expect(searches[1].json?["nextPageToken"] as? String == Self.page1Token)
      #expect(searches[1].json?["jql"] as? String == body["jql"] as? String)
      // /myself and /field once per stream, not per page
      #expect(server.requests.filter { $0.path.hasSuffix("/myself") }.count == 1)
      #expect(server.requests.filter { $0.path.hasSuffix("/field") }.count == 1)
    }
  }

  @Test func issueMappingFromADF() async throws {
    try await withFakeServer(Self.jira()) { server, client in
      let jira = try JiraCloudClient(
        configuration: Self.configuration(
          server, client, provider: FakeTokenProvider(current: "access-1")))
      let issues = try await collect(jira.fetchIssues(updatedSince: nil)).flatMap(\.issues)
      let shop142 = try #require(issues.first)
      #expect(shop142.externalId == "10231")
      #expect(shop142.title == "Apply discount code before tax calculation at checkout")
      #expect(shop142.statusName == "In Progress")
      #expect(shop142.statusCategory == .inProgress)
      #expect(shop142.priority == "High")
      #expect(shop142.type == "Story")
      #expect(shop142.labels == ["checkout", "pricing"])
      #expect(
        shop142.assignee
          == TrackerUser(
            externalId: "712020:3f1c9b7e-8a2d-4c5e-9f01-6b2a7d4e8c13", name: "Lena Fischer",
            email: "lena.fischer@acme-shop.example"))
      #expect(shop142.browseURL == "https://acme-shop.atlassian.net/browse/SHOP-142")
      #expect(shop142.updatedAt == Timestamps.parse("2025-06-02T07:16:40.118Z"))
      #expect(shop142.descriptionMarkdown.hasPrefix("## Context\n\nToday the discount"))
      #expect(shop142.criteriaMarkdown?.hasPrefix("1. Given a basket") == true)
      #expect(issues[1].statusCategory == .todo)
      #expect(issues[3].statusCategory == .done)
      #expect(issues[3].criteriaMarkdown == nil)
      #expect(issues[3].labels.isEmpty)

      // The raw JSON is the exact bytes of the issue in the response.
      let page = Fixtures.data("jira-cloud/search-jql-page-1.json")
      #expect(page.range(of: shop142.rawJSON) != nil)
      #expect(try JSONValue(parsing: shop142.rawJSON)["key"]?.string == "SHOP-142")
    }
  }

  @Test func fullBackfillWithoutFilterIsStillBounded() async throws {
    try await withFakeServer(Self.jira()) { server, client in
      let jira = try JiraCloudClient(
        configuration: Self.configuration(
          server, client, provider: FakeTokenProvider(current: "access-1"), jql: nil))
      _ = try await collect(jira.fetchIssues(updatedSince: nil))
      let body = try #require(server.requests.first { $0.path.hasSuffix("/search/jql") }?.json)
      #expect(
        body["jql"] as? String == #"updated >= "1970/01/01 00:00" ORDER BY updated ASC, key ASC"#)
    }
  }

  @Test func retriesAfter429HonouringRetryAfter() async throws {
    let calls = NIOLockedValueBox(0)
    let jira = Self.jira()
    let handler: @Sendable (FakeRequest) -> FakeResponse = { request in
      if request.path.hasSuffix("/search/jql") {
        let count = calls.withLockedValue {
          $0 += 1
          return $0
        }
        if count == 1 {
          return .json(
            #"{"errorMessages":["The request has been rate-limited. Please try again later."],"errors":{}}"#,
            status: 429, headers: [("Retry-After", "17"), ("RateLimit-Reason", "jira-quota-based")])
        }
      }
      return jira(request)
    }
    try await withFakeServer(handler) { server, client in
      let sleeps = RecordedSleeps()
      let jira = try JiraCloudClient(
        configuration: Self.configuration(
          server, client, provider: FakeTokenProvider(current: "access-1"),
          retry: sleeps.policy(jitter: 0.5)))
      let pages = try await collect(jira.fetchIssues(updatedSince: nil))
      #expect(pages.count == 2)
      // exactly Retry-After plus 15 % jitter (0.5 × 30 %), never less
      #expect(sleeps.delays.count == 1)
      #expect(abs((sleeps.delays.first ?? 0) - 17 * 1.15) < 1e-9)
    }
  }

  @Test func gives429UpAsUnavailableAfterMaxAttempts() async throws {
    let handler: @Sendable (FakeRequest) -> FakeResponse = { request in
      request.path.hasSuffix("/myself")
        ? .json("{}", status: 503) : Self.jira()(request)
    }
    try await withFakeServer(handler) { server, client in
      let sleeps = RecordedSleeps()
      let jira = try JiraCloudClient(
        configuration: Self.configuration(
          server, client, provider: FakeTokenProvider(current: "access-1"),
          retry: sleeps.policy(maxAttempts: 3, jitter: 0)))
      await #expect(
        throws: TrackerError.unavailable(
          "503 from http://127.0.0.1:\(server.port)\(Self.apiPrefix)/myself", retryAfter: nil)
      ) {
        try await jira.authenticate()
      }
      // exponential backoff without Retry-After: 2 s, 4 s, each −30 % at jitter 0
      #expect(sleeps.delays.map { ($0 * 1000).rounded() } == [1400, 2800])
      #expect(server.requests.count == 3)
    }
  }

  @Test func refreshesOnceAfter401() async throws {
    try await withFakeServer(Self.jira(token: "access-2")) { server, client in
      let provider = FakeTokenProvider(current: "access-1", next: ["access-2"])
      let jira = try JiraCloudClient(
        configuration: Self.configuration(server, client, provider: provider))
      let account = try await jira.authenticate()
      #expect(account.name == "Lena Fischer")
      #expect(provider.refreshes == 1)
      #expect(
        server.requests.map { $0.header("Authorization") } == [
          "Bearer access-1", "Bearer access-2",
        ])
    }
  }

  @Test func secondUnauthorizedIsAnAuthenticationFailure() async throws {
    try await withFakeServer(Self.jira(token: "never")) { server, client in
      let provider = FakeTokenProvider(current: "access-1", next: ["access-2"])
      let jira = try JiraCloudClient(
        configuration: Self.configuration(server, client, provider: provider))
      do {
        try await jira.authenticate()
        Issue.record("expected an error")
      } catch let error as TrackerError {
        #expect(error.needsReauthorization)
        guard case .authenticationFailed = error else { throw error }
      }
      #expect(provider.refreshes == 1)
      #expect(server.requests.count == 2)
    }
  }

  @Test func invalidGrantDuringRefreshPropagates() async throws {
    try await withFakeServer(Self.jira(token: "never")) { server, client in
      let provider = FakeTokenProvider(current: "access-1", failRefresh: true)
      let jira = try JiraCloudClient(
        configuration: Self.configuration(server, client, provider: provider))
      await #expect(throws: TrackerError.invalidGrant("invalid_grant")) {
        _ = try await collect(jira.fetchIssues(updatedSince: nil))
      }
    }
  }

  @Test func fetchIssueAndNotFound() async throws {
    try await withFakeServer(Self.jira()) { server, client in
      let jira = try JiraCloudClient(
        configuration: Self.configuration(
          server, client, provider: FakeTokenProvider(current: "access-1")))
      let issue = try await jira.fetchIssue(externalKey: "SHOP-142")
      #expect(issue.key == "SHOP-142")
      #expect(issue.criteriaMarkdown?.isEmpty == false)
      let request = try #require(server.requests.first { $0.path.hasSuffix("/issue/SHOP-142") })
      #expect(request.query["updateHistory"] == "false")
      #expect(request.query["fields"]?.contains("customfield_10047") == true)
      do {
        _ = try await jira.fetchIssue(externalKey: "SHOP-999")
        Issue.record("expected notFound")
      } catch TrackerError.notFound {
      }
    }
  }

  @Test func apiTokenUsesBasicAgainstTheSiteAndConfiguredField() async throws {
    let expected = "Basic " + Data("lena@acme.example:tok-123".utf8).base64EncodedString()
    let jira = Self.jira(prefix: "/rest/api/3", token: nil)
    let handler: @Sendable (FakeRequest) -> FakeResponse = { request in
      request.header("Authorization") == expected ? jira(request) : .json("{}", status: 401)
    }
    try await withFakeServer(handler) { server, client in
      let logs = CapturingLogs()
      let configuration = TrackerConfiguration(
        type: .jiraCloud, baseURL: server.baseURL + "/",
        credentials: .apiToken(email: "lena@acme.example", token: "tok-123"),
        acceptanceCriteriaField: "customfield_10047", httpClient: client, logger: logs.logger,
        outbound: .loopbackOnly())
      let jira = try TrackerRegistry.standard.makeClient(configuration)
      let pages = try await collect(jira.fetchIssues(updatedSince: nil))
      #expect(pages.flatMap(\.issues).count == 4)
      #expect(pages[0].issues[0].browseURL == server.baseURL + "/browse/SHOP-142")
      // configured field: no discovery call
      #expect(!server.requests.contains { $0.path.hasSuffix("/field") })
      // nothing secret in the logs
      #expect(!logs.lines.isEmpty)
      #expect(!logs.lines.contains { $0.contains("tok-123") || $0.contains(expected) })
      #expect(!logs.lines.contains { $0.contains("project") && $0.contains("jql") })
    }
  }

  @Test func removedSearchEndpointIsARejection() async throws {
    try await withFakeServer(Self.jira()) { server, client in
      let transport = HTTPTransport(
        client: client, logger: .init(label: "t"), timeout: .seconds(5),
        retryPolicy: RetryPolicy(sleep: { _ in }), authorization: .bearer("access-1"))
      do {
        _ = try await transport.send(.GET, server.baseURL + Self.apiPrefix + "/search")
        Issue.record("expected 410")
      } catch TrackerError.rejected(let status, let message) {
        #expect(status == 410)
        #expect(message.contains("/rest/api/3/search/jql"))
      }
    }
  }
}
