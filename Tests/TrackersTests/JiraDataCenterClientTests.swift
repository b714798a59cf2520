import AsyncHTTPClient
import Foundation
import Testing

@testable import Trackers

/// Jira Data Center REST v2 with offset paging, against a local fake under a context path.
@Suite struct JiraDataCenterClientTests {
  /// Serves the fixture's two issues one per page, honouring `startAt` and a server cap of 1.
  static let handler: @Sendable (FakeRequest) -> FakeResponse = { request in
    guard request.header("Authorization") == "Bearer pat-secret" else {
      return .json(#"{"errorMessages":["You are not authenticated."]}"#, status: 401)
    }
    switch request.path {
    case "/jira/rest/api/2/myself":
      return .json(
        #"{"name":"jdoe","key":"JIRAUSER10105","displayName":"Jane Doe","emailAddress":"jane.doe@acme-corp.example","timeZone":"Europe/Vienna"}"#
      )
    case "/jira/rest/api/2/field":
      return .json(
        #"[{"id":"customfield_10500","name":"acceptance criteria","custom":true,"schema":{"type":"string","custom":"com.atlassian.jira.plugin.system.customfieldtypes:textarea"}}]"#
      )
    case "/jira/rest/api/2/search":
      let startAt = Int(request.query["startAt"] ?? "0") ?? 0
      let issues =
        (try? JSONSlicer.arrayElements(
          ofMember: "issues", in: Fixtures.data("jira-dc/search-v2-page.json"))) ?? []
      let slice = issues.dropFirst(startAt).prefix(1)
      let body =
        #"{"expand":"schema,names","startAt":\#(startAt),"maxResults":1,"total":2,"issues":["#
        + slice.map { String(decoding: $0, as: UTF8.self) }.joined(separator: ",") + "]}"
      return .json(body)
    default:
      return .notFound
    }
  }

  @Test func offsetPagingWithServerCappedPageSize() async throws {
    try await withFakeServer(Self.handler) { server, client in
      let configuration = TrackerConfiguration(
        type: .jiraDataCenter, baseURL: server.baseURL + "/jira",
        credentials: .pat(token: "pat-secret"),
        jql: "project = BILL ORDER BY created DESC", httpClient: client, pageSize: 50,
        outbound: .loopbackOnly())
      let jira = try TrackerRegistry.standard.makeClient(configuration)
      let account = try await jira.authenticate()
      #expect(account.externalId == "JIRAUSER10105")

      let cursor = try #require(Timestamps.parse("2025-06-02T07:05:00Z"))
      let pages = try await collect(jira.fetchIssues(updatedSince: cursor))
      #expect(pages.map { $0.issues.map(\.key) } == [["BILL-2291"], ["BILL-2304"]])
      #expect(pages.last?.isLast == true)

      let searches = server.requests.filter { $0.path.hasSuffix("/search") }
      #expect(searches.map { $0.query["startAt"] } == ["0", "1"])
      #expect(searches.allSatisfy { $0.query["maxResults"] == "50" })
      // 07:05Z − 5 min = 07:00Z = 09:00 in Europe/Vienna; the admin's ORDER BY is replaced
      #expect(
        searches.first?.query["jql"]
          == #"(project = BILL) AND updated >= "2025/06/02 09:00" ORDER BY updated ASC, key ASC"#)
      #expect(searches.first?.query["fields"]?.contains("customfield_10500") == true)

      let bill = pages[0].issues[0]
      #expect(bill.statusCategory == .inProgress)
      #expect(bill.priority == "Major")
      #expect(
        bill.assignee
          == TrackerUser(
            externalId: "JIRAUSER10105", name: "Jane Doe", email: "jane.doe@acme-corp.example"))
      #expect(bill.browseURL == server.baseURL + "/jira/browse/BILL-2291")
      #expect(bill.descriptionMarkdown.hasPrefix("## Background"))
      #expect(bill.criteriaMarkdown?.hasPrefix("1. Due date equals") == true)
      #expect(bill.updatedAt == Timestamps.parse("2025-06-02T08:41:07Z"))
      #expect(Fixtures.data("jira-dc/search-v2-page.json").range(of: bill.rawJSON) != nil)
    }
  }

  @Test func wrongCredentialsAreAnAuthenticationFailure() async throws {
    try await withFakeServer(Self.handler) { server, client in
      let jira = try JiraDataCenterClient(
        configuration: TrackerConfiguration(
          type: .jiraDataCenter, baseURL: server.baseURL + "/jira",
          credentials: .basic(username: "jdoe", password: "wrong"), httpClient: client,
          outbound: .loopbackOnly()))
      do {
        try await jira.authenticate()
        Issue.record("expected a failure")
      } catch TrackerError.authenticationFailed(let detail) {
        #expect(detail.contains("401"))
        #expect(!detail.contains("wrong"))
      }
      let header = try #require(server.requests.first?.header("Authorization"))
      #expect(header == "Basic " + Data("jdoe:wrong".utf8).base64EncodedString())
    }
  }

  @Test func rejectsCredentialKindsItCannotUse() throws {
    let client = HTTPClient(eventLoopGroupProvider: .singleton)
    defer { try? client.syncShutdown() }
    #expect(throws: TrackerError.self) {
      try JiraDataCenterClient(
        configuration: TrackerConfiguration(
          type: .jiraDataCenter, baseURL: "https://x", credentials: .apiKey(key: "k"),
          httpClient: client, outbound: .loopbackOnly()))
    }
  }
}
