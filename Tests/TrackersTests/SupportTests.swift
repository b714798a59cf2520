import AsyncHTTPClient
import Foundation
import Testing

@testable import Trackers

/// JQL formatting, timestamps, retry policy, JSON slicing, field discovery, the registry.
@Suite struct SupportTests {
  @Test func jqlLiteralUsesTheUserTimeZoneAndRoundsDown() throws {
    let date = try #require(Timestamps.parse("2025-06-02T07:15:59.900Z"))
    #expect(JQL.dateLiteral(date, in: TimeZone(identifier: "Europe/Berlin")!) == "2025/06/02 09:15")
    #expect(JQL.dateLiteral(date, in: TimeZone(identifier: "Asia/Kolkata")!) == "2025/06/02 12:45")
    #expect(
      JQL.dateLiteral(date, in: TimeZone(identifier: "America/Los_Angeles")!) == "2025/06/02 00:15")
  }

  @Test func jqlQueries() throws {
    let utc = TimeZone(identifier: "UTC")!
    let date = try #require(Timestamps.parse("2025-01-01T00:03:00Z"))
    #expect(
      JQL.deltaQuery(
        filter: "project = A order by rank", updatedSince: date, overlap: 300, timeZone: utc)
        == #"(project = A) AND updated >= "2024/12/31 23:58" ORDER BY updated ASC, key ASC"#)
    #expect(
      JQL.deltaQuery(filter: "  ", updatedSince: nil, overlap: 300, timeZone: utc)
        == #"updated >= "1970/01/01 00:00" ORDER BY updated ASC, key ASC"#)
    #expect(
      JQL.deltaQuery(filter: "project = A", updatedSince: nil, overlap: 300, timeZone: utc)
        == "(project = A) ORDER BY updated ASC, key ASC")
  }

  @Test func timestamps() {
    let expected = Date(timeIntervalSince1970: 1_748_848_600.118)
    for text in [
      "2025-06-02T09:16:40.118+0200", "2025-06-02T09:16:40.118+02:00", "2025-06-02T07:16:40.118Z",
      "2025-06-02T02:16:40.118-0500",
    ] {
      let parsed = Timestamps.parse(text)
      #expect(parsed.map { abs($0.timeIntervalSince(expected)) < 0.001 } == true, "\(text)")
    }
    #expect(
      Timestamps.parse("2025-06-02T07:00:00Z").map(Timestamps.rfc3339) == "2025-06-02T07:00:00Z")
    #expect(Timestamps.parse("not a date") == nil)
  }

  @Test func retryPolicy() {
    let policy = RetryPolicy(
      maxAttempts: 4, baseDelay: 2, maxDelay: 5, maxRetryAfter: 60, random: { 1 }, sleep: { _ in })
    #expect(policy.delay(attempt: 1, retryAfter: 10) == 13)
    #expect(policy.delay(attempt: 1, retryAfter: 61) == nil)
    #expect(abs((policy.delay(attempt: 1, retryAfter: nil) ?? 0) - 2.6) < 1e-9)
    #expect(policy.delay(attempt: 3, retryAfter: nil) == 5)  // capped
    #expect(policy.delay(attempt: 4, retryAfter: nil) == nil)
    #expect(RetryPolicy.parseRetryAfter("17") == 17)
    let now = Date(timeIntervalSince1970: 1_748_926_920)  // Tue, 03 Jun 2025 05:02:00 GMT
    #expect(RetryPolicy.parseRetryAfter("Tue, 03 Jun 2025 05:02:30 GMT", now: now) == 30)
    #expect(RetryPolicy.parseRetryAfter("soon") == nil)
  }

  @Test func jsonSlicingKeepsExactBytes() throws {
    let data = Data(#"{"a":"x\"]}","issues":[ {"id":"1","t":"[{"} , {"id":"2"} ],"z":null}"#.utf8)
    let slices = try JSONSlicer.arrayElements(ofMember: "issues", in: data)
    #expect(
      slices.map { String(decoding: $0, as: UTF8.self) } == [
        #"{"id":"1","t":"[{"}"#, #"{"id":"2"}"#,
      ])
    #expect(try JSONSlicer.arrayElements(ofMember: "missing", in: data).isEmpty)
    #expect(
      try JSONSlicer.member("z", in: data).map { String(decoding: $0, as: UTF8.self) } == "null")
    #expect(throws: TrackerError.self) {
      try JSONSlicer.arrayElements(ofMember: "issues", in: Data(#"{"issues":[{"#.utf8))
    }
  }

  @Test func acceptanceCriteriaDiscoveryPrefersTheGlobalField() {
    #expect(
      AcceptanceCriteriaField.discover(in: Fixtures.json("jira-cloud/field.json"))
        == "customfield_10047")
    let scopedFirst = JSONValue.array(
      (Fixtures.json("jira-cloud/field.json").array ?? []).reversed())
    #expect(AcceptanceCriteriaField.discover(in: scopedFirst) == "customfield_10047")
    #expect(AcceptanceCriteriaField.discover(in: .array([])) == nil)
  }

  @Test func statusCategories() {
    #expect(StatusCategory(jiraKey: "new") == .todo)
    #expect(StatusCategory(jiraKey: "indeterminate") == .inProgress)
    #expect(StatusCategory(jiraKey: "done") == .done)
    #expect(StatusCategory(jiraKey: "undefined") == .todo)
    #expect(StatusCategory.inProgress.rawValue == "in_progress")
  }

  @Test func registry() throws {
    let http = HTTPClient(eventLoopGroupProvider: .singleton)
    defer { try? http.syncShutdown() }
    #expect(
      TrackerRegistry.standard.types == [
        "github", "gitlab", "jira-cloud", "jira-dc", "linear", "teamwork",
      ])
    let unknown = TrackerConfiguration(
      type: "asana", baseURL: "https://x", credentials: .pat(token: "t"), httpClient: http,
      outbound: .loopbackOnly())
    #expect(throws: TrackerError.invalidConfiguration("unknown tracker type 'asana'")) {
      try TrackerRegistry.standard.makeClient(unknown)
    }
    var registry = TrackerRegistry.standard
    registry.register("asana") { try TeamworkClient(configuration: $0) }
    #expect(try registry.makeClient(unknown).type == .teamwork)
    #expect(throws: TrackerError.self) {
      try TrackerRegistry.standard.makeClient(
        TrackerConfiguration(
          type: .jiraCloud, baseURL: "https://x", credentials: .pat(token: "t"), httpClient: http,
          outbound: .loopbackOnly()))
    }
  }

  @Test func redactedURLs() {
    #expect(
      HTTPTransport.redacted("https://user:pw@x.example/rest?jql=secret%20stuff&startAt=50")
        == "https://x.example/rest?jql=%E2%80%A6&startAt=50")
  }
}
