import Fluent
import Foundation
import SQLKit
import Testing
import Trackers
import Vapor
import VaporTesting

@testable import App

/// Tracker connections and issue sync against a fake Jira Data Center over real HTTP.
@Suite struct TrackerTests {
  func createTracker(_ ctx: TestContext, admin: String, jira: FakeJiraDataCenter, token: String)
    async throws -> TrackerResponse
  {
    let response = try await ctx.send(
      .POST, "/trackers", token: admin,
      object: [
        "type": "jira-dc", "name": "Acme Jira", "baseUrl": jira.baseURL + "/",
        "auth": ["kind": "pat", "token": token], "acceptanceCriteriaField": "customfield_10500",
      ])
    #expect(response.status == .created)
    #expect(!response.bodyString.contains(token))
    return try response.content.decode(TrackerResponse.self)
  }

  func sync(_ ctx: TestContext, _ id: String) async throws -> SyncSummary {
    let tracker = try #require(try await Tracker.find(UUID(uuidString: id), on: ctx.app.db))
    let service = TrackerSyncJob.service(app: ctx.app, logger: ctx.app.logger)
    return try await TrackerSync(database: ctx.app.db, logger: ctx.app.logger)
      .run(tracker: tracker, client: try service.client(for: tracker))
  }

  @Test(arguments: TestDatabase.all)
  func aTrackerSyncsIssuesAndDevelopersFindTheirs(_ database: TestDatabase) async throws {
    let jira = try await FakeJiraDataCenter.start()
    defer { Task { try? await jira.stop() } }
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      let jane = try await ctx.createUser(
        role: .developer, email: "Jane.Doe@acme-corp.example", adminToken: admin)
      let tracker = try await createTracker(
        ctx, admin: admin, jira: jira, token: FakeJiraDataCenter.token)
      #expect(tracker.credentialsSet == ["token"] && tracker.authKind == "pat")
      let stored = try #require(
        try await Tracker.find(UUID(uuidString: tracker.id), on: ctx.app.db))
      #expect(stored.authJSON?.hasPrefix("v2.") == true)
      #expect(stored.authJSON?.contains(FakeJiraDataCenter.token) == false)
      let test = try await ctx.send(.POST, "/trackers/\(tracker.id)/test", token: admin)
      #expect(try test.content.decode(TrackerTestResponse.self).ok)

      // act: a full sync, a repeated sync, an edit and a delta sync
      let first = try await sync(ctx, tracker.id)
      #expect(first.created == 2 && first.pages == 2)
      let again = try await sync(ctx, tracker.id)
      #expect(again.created == 0 && again.updated == 0)
      jira.edit(
        key: "BILL-2291", summary: "Invoices in CSV, edited",
        updated: "2030-01-01T00:00:00.000+0000")
      let delta = try await sync(ctx, tracker.id)
      #expect(delta.updated == 1 && delta.created == 0)
      #expect(try await Issue.query(on: ctx.app.db).count() == 2)

      // check: the API shows the issues, `assignee=me` finds Jane's
      let janeToken = try await ctx.login(jane.email, jane.password).accessToken
      let mine = try await ctx.send(.GET, "/issues?assignee=me&status=open", token: janeToken)
      let issues = try mine.content.decode([IssueResponse].self)
      #expect(issues.map(\.extKey) == ["BILL-2291"])
      #expect(issues.first?.title == "Invoices in CSV, edited")
      #expect(issues.first?.assignee?.userId == jane.id)
      #expect(issues.first?.payload == nil)
      let all = try await ctx.send(.GET, "/issues?q=bill-2304", token: janeToken)
      #expect(try all.content.decode([IssueResponse].self).map(\.extKey) == ["BILL-2304"])
      let detail = try await ctx.send(.GET, "/issues/\(issues[0].id)", token: admin)
      #expect(try detail.content.decode(IssueResponse.self).payload != nil)
      #expect(
        try await ctx.send(.GET, "/issues?status=later", token: janeToken).status
          == .unprocessableEntity)
      let listed = try await ctx.send(.GET, "/trackers/\(tracker.id)", token: admin)
      let status = try listed.content.decode(TrackerResponse.self)
      #expect(status.issueCount == 2 && status.lastSyncAt != nil && status.lastError == nil)
    }
  }

  @Test(arguments: TestDatabase.all)
  func aSyncStoppedBetweenPagesResumesWithoutLossOrDuplicates(_ database: TestDatabase)
    async throws
  {
    let jira = try await FakeJiraDataCenter.start()
    defer { Task { try? await jira.stop() } }
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      let tracker = try await createTracker(
        ctx, admin: admin, jira: jira, token: FakeJiraDataCenter.token)
      // Both issues share one `updated` time and the fake serves one issue per page, so the
      // page boundary falls inside that time.
      jira.setAllUpdated("2025-06-02T10:41:07.000+0200")
      jira.failAtStart.withLockedValue { $0 = 1 }
      // act: the first sync stops after page 1
      await #expect(throws: (any Error).self) { _ = try await sync(ctx, tracker.id) }
      #expect(try await Issue.query(on: ctx.app.db).count() == 1)
      let stored = try #require(
        try await Tracker.find(UUID(uuidString: tracker.id), on: ctx.app.db))
      #expect(stored.syncCursor != nil)
      jira.failAtStart.withLockedValue { $0 = nil }
      let resumed = try await sync(ctx, tracker.id)
      // check: the second issue arrives, the first is not duplicated
      #expect(resumed.created == 1 && resumed.unchanged == 1)
      #expect(try await Issue.query(on: ctx.app.db).count() == 2)
    }
  }

  @Test(arguments: TestDatabase.all)
  func badCredentialsAreReportedNotThrown(_ database: TestDatabase) async throws {
    let jira = try await FakeJiraDataCenter.start()
    defer { Task { try? await jira.stop() } }
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      let tracker = try await createTracker(ctx, admin: admin, jira: jira, token: "wrong-token")
      let test = try await ctx.send(.POST, "/trackers/\(tracker.id)/test", token: admin)
      #expect(try test.content.decode(TrackerTestResponse.self).ok == false)
      await #expect(throws: TrackerError.self) { _ = try await sync(ctx, tracker.id) }
      let after = try await ctx.send(.GET, "/trackers/\(tracker.id)", token: admin)
      #expect(try after.content.decode(TrackerResponse.self).lastError != nil)
      // fix the credentials, archive, and the list hides it
      let patched = try await ctx.send(
        .PATCH, "/trackers/\(tracker.id)", token: admin,
        object: [
          "auth": ["kind": "pat", "token": FakeJiraDataCenter.token], "syncIntervalMinutes": 10,
        ])
      #expect(try patched.content.decode(TrackerResponse.self).syncIntervalMinutes == 10)
      #expect(
        try await ctx.send(.DELETE, "/trackers/\(tracker.id)", token: admin).status == .noContent)
      let list = try await ctx.send(.GET, "/trackers", token: admin)
      #expect(try list.content.decode([TrackerResponse].self).isEmpty)
    }
  }

  @Test(arguments: TestDatabase.all)
  func trackerInputIsValidated(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      let cases: [([String: Any], Int)] = [
        (
          ["type": "asana", "name": "x", "baseUrl": "https://a.example", "auth": ["kind": "pat"]],
          422
        ),
        (
          [
            "type": "jira-dc", "name": "x", "baseUrl": "https://a.example",
            "auth": ["kind": "apiKey", "apiKey": "k"],
          ], 422
        ),
        (
          [
            "type": "jira-dc", "name": "x", "baseUrl": "https://a.example",
            "auth": ["kind": "basic", "username": "u"],
          ], 422
        ),
        (
          [
            "type": "jira-dc", "name": "x", "baseUrl": "ftp://a.example",
            "auth": ["kind": "pat", "token": "t"],
          ], 422
        ),
        (["type": "jira-dc", "name": "x", "baseUrl": "https://a.example"], 400),
        (
          [
            "type": "jira-dc", "name": "x", "baseUrl": "https://a.example",
            "auth": ["kind": "pat", "token": "t"], "webhookSecret": "short",
          ], 422
        ),
      ]
      for (body, status) in cases {
        let response = try await ctx.send(.POST, "/trackers", token: admin, object: body)
        #expect(Int(response.status.code) == status, "\(body)")
      }
      #expect(try await Tracker.query(on: ctx.app.db).count() == 0)
      let dev = try await ctx.createUser(role: .lead, adminToken: admin)
      let lead = try await ctx.login(dev.email, dev.password).accessToken
      #expect(try await ctx.send(.GET, "/trackers", token: lead).status == .forbidden)
    }
  }

  @Test(arguments: TestDatabase.all)
  func teamworkTrackersDefaultToTheConfiguredKey(_ database: TestDatabase) async throws {
    let withKey: (inout AppConfig) -> Void = {
      $0.teamworkAPIKey = "tw-default-key"
      $0.teamworkBaseURL = "https://acme.teamwork.com/"
    }
    try await withTestApp(database, configure: withKey) { ctx in
      let admin = try await ctx.adminToken()
      let created = try await ctx.send(
        .POST, "/trackers", token: admin,
        object: ["type": "teamwork", "name": "TW", "baseUrl": "https://acme.teamwork.com"])
      #expect(created.status == .created)
      #expect(try created.content.decode(TrackerResponse.self).credentialsSet == ["apiKey"])
      #expect(!created.bodyString.contains("tw-default-key"))
    }
  }

  @Test func credentialEnvelopesNameTheirKey() throws {
    let old = CredentialCipher(current: .init(Array(repeating: 1, count: 32)), previous: [])
    let binding = CredentialCipher.Binding.auth(of: UUID())
    let sealed = try old.seal(Data("secret".utf8), for: binding)
    let rotated = CredentialCipher(
      current: .init(Array(repeating: 2, count: 32)),
      previous: [.init(Array(repeating: 1, count: 32))])
    #expect(try rotated.open(sealed, for: binding) == Data("secret".utf8))
    #expect(rotated.needsRotation(sealed))
    let stranger = CredentialCipher(current: .init(Array(repeating: 3, count: 32)), previous: [])
    #expect(throws: CredentialCipher.Failure.self) { try stranger.open(sealed, for: binding) }
    let parts = sealed.split(separator: ".").map(String.init)
    var bytes = try #require(Data(base64Encoded: parts[2]))
    bytes[bytes.count / 2] ^= 0x01
    let tampered = "\(parts[0]).\(parts[1]).\(bytes.base64EncodedString())"
    #expect(throws: CredentialCipher.Failure.self) { try old.open(tampered, for: binding) }
    #expect(throws: CredentialCipher.Failure.self) { try old.open("plain", for: binding) }
  }
}
