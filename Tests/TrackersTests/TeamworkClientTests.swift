import AsyncHTTPClient
import Foundation
import Testing

@testable import Trackers

/// Teamwork Projects API v3 against a local fake.
@Suite struct TeamworkClientTests {
  static let basic = "Basic " + Data("twp_key123:X".utf8).base64EncodedString()

  static let handler: @Sendable (FakeRequest) -> FakeResponse = { request in
    guard
      request.header("Authorization") == basic
        || request.header("Authorization") == "Bearer tw-bearer"
    else { return .json(#"{"errors":[{"title":"Unauthorized"}]}"#, status: 401) }
    switch request.path {
    case "/projects/api/v3/tasks.json":
      return request.query["page"] == "2"
        ? .fixture("teamwork/tasks-page-2.json") : .fixture("teamwork/tasks-page-1.json")
    case "/projects/api/v3/tasks/31877390.json":
      let page = Fixtures.text("teamwork/tasks-page-2.json")
      let task =
        (try? JSONSlicer.arrayElements(ofMember: "tasks", in: Data(page.utf8)))?.first ?? Data()
      let included = (try? JSONSlicer.member("included", in: Data(page.utf8))) ?? Data("{}".utf8)
      return .json(
        #"{"task":"# + String(decoding: task, as: UTF8.self) + #","included":"#
          + String(decoding: included, as: UTF8.self) + "}")
    case "/me.json":
      return .json(
        #"{"person":{"id":"238401","first-name":"Aoife","last-name":"Byrne","email-address":"aoife.byrne@northwind-studio.example"}}"#
      )
    default:
      return .json(#"{"errors":[{"title":"Not found"}]}"#, status: 404)
    }
  }

  static func client(
    _ server: FakeServer, _ http: HTTPClient,
    credentials: TrackerCredentials = .apiKey(key: "twp_key123")
  ) throws -> any TrackerClient {
    try TrackerRegistry.standard.makeClient(
      TrackerConfiguration(
        type: .teamwork, baseURL: server.baseURL, credentials: credentials, httpClient: http,
        pageSize: 2, overlapWindow: 120, outbound: .loopbackOnly()))
  }

  @Test func pagesOnHasMoreWithUpdatedAfterAndSideLoads() async throws {
    try await withFakeServer(Self.handler) { server, http in
      let teamwork = try Self.client(server, http)
      let cursor = try #require(Timestamps.parse("2025-06-02T07:02:00Z"))
      let pages = try await collect(teamwork.fetchIssues(updatedSince: cursor))
      #expect(pages.map { $0.issues.map(\.key) } == [["31877201", "31877264"], ["31877390"]])
      #expect(pages.map(\.isLast) == [false, true])

      let requests = server.requests.filter { $0.path == "/projects/api/v3/tasks.json" }
      #expect(requests.map { $0.query["page"] } == ["1", "2"])
      let query = try #require(requests.first?.query)
      #expect(query["updatedAfter"] == "2025-06-02T07:00:00Z")
      #expect(query["pageSize"] == "2")
      #expect(query["includeCompletedTasks"] == "true")
      #expect(query["showCompletedLists"] == "true")
      #expect(query["include"]?.split(separator: ",").contains("users") == true)
      #expect(query["orderBy"] == "updatedat")
      #expect(query["orderMode"] == "asc")

      let first = pages[0].issues[0]
      #expect(first.title == "Login form: show inline error when password is wrong")
      #expect(first.descriptionMarkdown.hasPrefix("Currently the login form"))
      #expect(first.statusName == "new")
      #expect(first.statusCategory == .todo)
      #expect(first.priority == "high")
      #expect(first.labels == ["bug", "frontend"])
      #expect(
        first.assignees
          == [
            TrackerUser(
              externalId: "238401", name: "Aoife Byrne",
              email: "aoife.byrne@northwind-studio.example")
          ])
      #expect(first.browseURL == server.baseURL + "/app/tasks/31877201")
      #expect(first.updatedAt == Timestamps.parse("2025-06-02T07:21:45Z"))
      #expect(Fixtures.data("teamwork/tasks-page-1.json").range(of: first.rawJSON) != nil)

      let second = pages[0].issues[1]
      #expect(second.statusCategory == .inProgress)  // reopened with progress 20
      #expect(second.criteriaMarkdown?.hasPrefix("- [ ] max **5 requests per hour**") == true)
      #expect(second.assignee?.name == "Tomás Ferreira")

      let done = pages[1].issues[0]
      #expect(done.statusCategory == .done)
      #expect(done.assignees.map(\.externalId) == ["238401", "238417"])
      #expect(done.labels.isEmpty)
      #expect(!done.isDeleted)
    }
  }

  @Test func fullSyncSendsNoUpdatedAfterAndBearerWorks() async throws {
    try await withFakeServer(Self.handler) { server, http in
      let teamwork = try Self.client(server, http, credentials: .pat(token: "tw-bearer"))
      _ = try await collect(teamwork.fetchIssues(updatedSince: nil))
      #expect(server.requests.allSatisfy { $0.query["updatedAfter"] == nil })
    }
  }

  @Test func fetchSingleTaskAndAuthenticate() async throws {
    try await withFakeServer(Self.handler) { server, http in
      let teamwork = try Self.client(server, http)
      let task = try await teamwork.fetchIssue(externalKey: "31877390")
      #expect(task.title == "Update privacy policy link in the footer")
      #expect(task.assignees.count == 2)
      #expect(try JSONValue(parsing: task.rawJSON)["id"]?.idString == "31877390")
      let account = try await teamwork.authenticate()
      #expect(account.email == "aoife.byrne@northwind-studio.example")
      await #expect(throws: TrackerError.self) { try await teamwork.fetchIssue(externalKey: "1") }
    }
  }

  @Test(arguments: [
    (#"{"assignees":[{"id":1,"type":"users"},{"id":9,"type":"teams"}]}"#, ["1"]),
    (#"{"assigneeUsers":[{"id":2,"type":"users"}]}"#, ["2"]),
    (#"{"assigneeUserIds":[3,4]}"#, ["3", "4"]),
    (#"{"assigneeUserIds":"5,6"}"#, ["5", "6"]),
    (#"{"assignees":[],"assigneeUsers":[{"id":7,"type":"users"}]}"#, ["7"]),
    (#"{"assignees":null}"#, []),
    (#"{}"#, []),
  ])
  func everyAssigneeShape(json: String, expected: [String]) throws {
    let mapper = TeamworkTaskMapper(siteURL: "https://x.teamwork.com")
    #expect(mapper.assigneeIds(try JSONValue(parsing: Data(json.utf8))) == expected)
  }

  @Test func statusMapping() throws {
    #expect(TeamworkTaskMapper.category(status: "new", progress: 0) == .todo)
    #expect(TeamworkTaskMapper.category(status: "reopened", progress: nil) == .todo)
    #expect(TeamworkTaskMapper.category(status: "new", progress: 50) == .inProgress)
    #expect(TeamworkTaskMapper.category(status: "completed", progress: 100) == .done)
    let deleted = try TeamworkTaskMapper(siteURL: "https://x").map(
      JSONValue(
        parsing:
          Data(
            #"{"id":1,"name":"x","status":"deleted","updatedAt":"2025-06-02T07:00:00Z","deletedAt":"2025-06-02T07:00:00Z"}"#
              .utf8)),
      included: nil, raw: Data())
    #expect(deleted.isDeleted)
    #expect(deleted.statusCategory == .done)
  }
}
