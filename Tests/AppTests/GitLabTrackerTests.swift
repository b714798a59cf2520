import Fluent
import Foundation
import Testing
import Trackers
import Vapor
import VaporTesting

@testable import App

/// A GitLab project connected as a tracker: synced from a local fake of GitLab's REST API,
/// kept current by webhooks that carry the secret token, and its moved or deleted issues leave
/// the lists.
@Suite struct GitLabTrackerTests {
  static let secret = "a-gitlab-webhook-secret"

  static func create(_ ctx: TestContext, admin: String, gitlab: FakeGitLab) async throws
    -> TrackerResponse
  {
    let created = try await ctx.send(
      .POST, "/trackers", token: admin,
      object: [
        "type": "gitlab", "name": "Web shop", "baseUrl": gitlab.baseURL,
        "auth": ["kind": "pat", "token": FakeGitLab.token],
        "scope": ["projects": [FakeGitLab.project], "inProgressLabel": "bug"],
        "webhookSecret": secret,
      ])
    #expect(created.status == .created, "\(created.body.string)")
    #expect(!created.body.string.contains(FakeGitLab.token))
    return try created.content.decode(TrackerResponse.self)
  }

  /// Sends an issue event as GitLab does: the secret token as it is, the event in a header.
  static func deliver(
    _ ctx: TestContext, _ trackerID: String, action: String, iid: Int,
    project: String = FakeGitLab.project, token: String? = secret,
    event: String = "Issue Hook", uuid: String = UUID().uuidString
  ) async throws -> TestingHTTPResponse {
    let body =
      #"{"object_kind":"issue","project":{"path_with_namespace":"\#(project)"},"object_attributes":{"iid":\#(iid),"action":"\#(action)"}}"#
    var headers: HTTPHeaders = [
      "X-Gitlab-Event": event, "X-Gitlab-Event-UUID": uuid, "Content-Type": "application/json",
    ]
    if let token { headers.add(name: "X-Gitlab-Token", value: token) }
    return try await ctx.send(
      .POST, "/webhooks/gitlab/\(trackerID)", rawBody: body, headers: headers)
  }

  @Test(arguments: TestDatabase.all)
  func aProjectSyncsAndWebhooksKeepItCurrent(_ database: TestDatabase) async throws {
    let gitlab = try await FakeGitLab.start()
    defer { Task { try? await gitlab.stop() } }
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      let tracker = try await Self.create(ctx, admin: admin, gitlab: gitlab)
      #expect(tracker.scope?.projects == [FakeGitLab.project])
      // a scope is replaced whole: without its projects it is refused, and nothing changes
      let partial = try await ctx.send(
        .PATCH, "/trackers/\(tracker.id)", token: admin,
        object: ["scope": ["inProgressLabel": "doing"]])
      #expect(
        partial.status == .unprocessableEntity && partial.body.string.contains("scope.projects"))
      let kept = try await ctx.send(.GET, "/trackers/\(tracker.id)", token: admin)
      #expect(try kept.content.decode(TrackerResponse.self).scope?.inProgressLabel == "bug")
      #expect(tracker.webhookUrl?.hasSuffix("/webhooks/gitlab/\(tracker.id)") ?? true)
      let test = try await ctx.send(.POST, "/trackers/\(tracker.id)/test", token: admin)
      #expect(try test.content.decode(TrackerTestResponse.self).ok, "\(test.body.string)")

      // assigned and labelled "bug": in progress; closed: done; assigned, no label: to do
      let summary = try await TrackerTests().sync(ctx, tracker.id)
      #expect(summary.created == 3)
      let issues = try await Issue.query(on: ctx.app.db).sort(\.$externalKey).all()
      #expect(
        issues.map(\.externalKey) == [
          "acme-group/web-shop#42", "acme-group/web-shop#43", "acme-group/web-shop#44",
        ])
      #expect(issues.map(\.statusCategory) == ["in_progress", "done", "todo"])
      #expect(issues[0].title.contains("Crème brûlée ✓ 日本語"))
      let stored = try #require(
        try await Tracker.find(UUID(uuidString: tracker.id), on: ctx.app.db))
      // to the millisecond: the databases keep microseconds, a Date binary fractions
      let expected = try #require(LoopbackFake.instant("2024-05-04T08:00:00.789Z"))
      #expect(abs(try #require(stored.syncCursor).timeIntervalSince(expected)) < 0.001)

      // a wrong or missing token, another event and another project change nothing
      let forged = try await Self.deliver(
        ctx, tracker.id, action: "update", iid: 42, token: "wrong-secret-of-length")
      #expect(forged.status == .unauthorized)
      let anonymous = try await Self.deliver(ctx, tracker.id, action: "update", iid: 42, token: nil)
      #expect(anonymous.status == .unauthorized)
      let note = try await Self.deliver(
        ctx, tracker.id, action: "update", iid: 42, event: "Note Hook")
      #expect(note.status == .noContent)
      let elsewhere = try await Self.deliver(
        ctx, tracker.id, action: "update", iid: 42, project: "acme-group/other")
      #expect(elsewhere.status == .noContent)

      // an edit is re-read; one event UUID for two issues queues both, a retry neither
      gitlab.update(44) { $0["title"] = "Résultats de l'été" }
      let uuid = UUID().uuidString
      let edited = try await Self.deliver(ctx, tracker.id, action: "update", iid: 44, uuid: uuid)
      let other = try await Self.deliver(ctx, tracker.id, action: "update", iid: 43, uuid: uuid)
      let again = try await Self.deliver(ctx, tracker.id, action: "update", iid: 44, uuid: uuid)
      let job = try edited.content.decode(JobAccepted.self).jobId
      #expect(edited.status == .accepted && other.status == .accepted)
      #expect(try other.content.decode(JobAccepted.self).jobId != job)
      #expect(try again.content.decode(JobAccepted.self).jobId == job)
      #expect(try await runWorker(ctx, until: job) == "succeeded")
      #expect(
        try await ctx.issue(externalKey: "acme-group/web-shop#44")?.title == "Résultats de l'été")

      // moved to another project: GitLab closes it with moved_to_id
      gitlab.update(42) {
        $0["state"] = "closed"
        $0["moved_to_id"] = 91234
      }
      let moved = try await Self.deliver(ctx, tracker.id, action: "close", iid: 42)
      #expect(
        try await runWorker(ctx, until: try moved.content.decode(JobAccepted.self).jobId)
          == "succeeded")
      let gone = try #require(try await ctx.issue(externalKey: "acme-group/web-shop#42"))
      #expect(gone.deletedAt != nil)
      try await DeletedIssueTests.expectGone(ctx, issueID: try gone.requireID(), admin: admin)

      // deleted: GitLab sends nothing, the next event's re-read finds the 404
      gitlab.delete(43)
      let deleted = try await Self.deliver(ctx, tracker.id, action: "update", iid: 43)
      #expect(
        try await runWorker(ctx, until: try deleted.content.decode(JobAccepted.self).jobId)
          == "succeeded")
      #expect(try await ctx.issue(externalKey: "acme-group/web-shop#43")?.deletedAt != nil)
    }
  }

  @Test(arguments: TestDatabase.all)
  func aListedMovedIssueIsDeletedBySync(_ database: TestDatabase) async throws {
    let gitlab = try await FakeGitLab.start()
    defer { Task { try? await gitlab.stop() } }
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      let tracker = try await Self.create(ctx, admin: admin, gitlab: gitlab)
      _ = try await TrackerTests().sync(ctx, tracker.id)
      gitlab.update(44) {
        $0["state"] = "closed"
        $0["moved_to_id"] = 91234
      }
      // act
      _ = try await TrackerTests().sync(ctx, tracker.id)
      // check
      #expect(try await ctx.issue(externalKey: "acme-group/web-shop#44")?.deletedAt != nil)
      #expect(try await ctx.issue(externalKey: "acme-group/web-shop#42")?.deletedAt == nil)
    }
  }

  @Test(arguments: TestDatabase.all)
  func aDailySweepFindsIssuesDeletedWithoutAnEvent(_ database: TestDatabase) async throws {
    let gitlab = try await FakeGitLab.start()
    defer { Task { try? await gitlab.stop() } }
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      let tracker = try await Self.create(ctx, admin: admin, gitlab: gitlab)
      let first = try await TrackerTests().sync(ctx, tracker.id)
      #expect(first.swept && first.created == 3)
      gitlab.delete(43)
      gitlab.unlisted.withLockedValue { $0 = [44] }

      // a delta sync within the day lists only changes: GitLab sent nothing
      let delta = try await TrackerTests().sync(ctx, tracker.id)
      #expect(!delta.swept && delta.deleted == 0)
      #expect(try await ctx.issue(externalKey: "acme-group/web-shop#43")?.deletedAt == nil)

      // the sweep lists everything and re-reads what is missing: #43 is gone (404), #44 only
      // skipped by the listing and still there
      let stored = try #require(
        try await Tracker.find(UUID(uuidString: tracker.id), on: ctx.app.db))
      stored.sweptAt = Date().addingTimeInterval(-TrackerSync.sweepInterval - 60)
      try await stored.save(on: ctx.app.db)
      let sweep = try await TrackerTests().sync(ctx, tracker.id)
      #expect(sweep.swept && sweep.deleted == 1)
      #expect(try await ctx.issue(externalKey: "acme-group/web-shop#43")?.deletedAt != nil)
      #expect(try await ctx.issue(externalKey: "acme-group/web-shop#44")?.deletedAt == nil)
      let after = try #require(try await Tracker.find(UUID(uuidString: tracker.id), on: ctx.app.db))
      #expect(!TrackerSync.isSweepDue(after, now: Date()))
      // the sweep listed from the start without moving the cursor back
      #expect(after.syncCursor == stored.syncCursor)
    }
  }

  @Test(arguments: TestDatabase.all)
  func gitLabAndLinearTrackersAreCheckedFieldByField(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      let gitlab: [String: Any] = [
        "type": "gitlab", "name": "Shop", "baseUrl": "https://x.example",
        "auth": ["kind": "pat", "token": "t"],
      ]
      let linear: [String: Any] = [
        "type": "linear", "name": "Eng", "baseUrl": "https://x.example",
        "auth": ["kind": "apiKey", "apiKey": "k"],
      ]
      let cases: [([String: Any], [String: Any], Int, String)] = [
        (gitlab, [:], 422, "scope.projects"),
        (gitlab, ["scope": ["projects": ["web-shop"]]], 422, "scope.projects[0]"),
        (gitlab, ["scope": ["projects": ["a/b"], "teams": ["ENG"]]], 422, "scope.teams"),
        (
          gitlab, ["scope": ["projects": ["a/b"]], "auth": ["kind": "apiKey", "apiKey": "k"]], 422,
          "auth.kind"
        ),
        (gitlab, ["baseUrl": NSNull(), "scope": ["projects": ["a/b"]]], 400, "baseUrl"),
        (linear, [:], 422, "scope.teams"),
        (linear, ["scope": ["teams": ["eng"]]], 422, "scope.teams[0]"),
        (
          linear, ["scope": ["teams": ["ENG"], "inProgressLabel": "x"]], 422,
          "scope.inProgressLabel"
        ),
        (
          linear, ["scope": ["teams": ["ENG"]], "auth": ["kind": "pat", "token": "t"]], 422,
          "auth.kind"
        ),
        // without a base URL, Linear's API host is used: outside what these tests may reach
        (linear, ["baseUrl": NSNull(), "scope": ["teams": ["ENG"]]], 422, "api.linear.app"),
      ]
      for (base, change, status, field) in cases {
        var body = base.merging(change) { _, new in new }
        body = body.filter { !($0.value is NSNull) }
        let response = try await ctx.send(.POST, "/trackers", token: admin, object: body)
        #expect(Int(response.status.code) == status, "\(change): \(response.body.string)")
        #expect(response.body.string.contains(field), "\(change): \(response.body.string)")
      }
      #expect(try await Tracker.query(on: ctx.app.db).count() == 0)
    }
  }
}
