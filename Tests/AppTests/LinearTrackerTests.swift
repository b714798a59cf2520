import Fluent
import Foundation
import Testing
import Trackers
import Vapor
import VaporTesting

@testable import App

/// Linear teams connected as a tracker: synced from a local fake of Linear's GraphQL API, kept
/// current by signed webhooks inside their one-minute window, and removed or trashed issues
/// leave the lists.
@Suite struct LinearTrackerTests {
  static let secret = "lin_wh_test_3b9f0c2a7e5d"

  static func create(_ ctx: TestContext, admin: String, linear: FakeLinear) async throws
    -> TrackerResponse
  {
    let created = try await ctx.send(
      .POST, "/trackers", token: admin,
      object: [
        "type": "linear", "name": "Engineering", "baseUrl": linear.baseURL,
        "auth": ["kind": "apiKey", "apiKey": FakeLinear.key],
        "scope": ["teams": ["ENG"]], "webhookSecret": secret,
      ])
    #expect(created.status == .created, "\(created.body.string)")
    #expect(!created.body.string.contains(FakeLinear.key))
    return try created.content.decode(TrackerResponse.self)
  }

  /// Sends a data change event as Linear does: signed, stamped in milliseconds.
  static func deliver(
    _ ctx: TestContext, _ trackerID: String, action: String, identifier: String,
    type: String = "Issue", previous: [String] = [], sentAt: Date = Date(),
    secret: String = secret, delivery: String = UUID().uuidString
  ) async throws -> TestingHTTPResponse {
    let previousJSON = previous.map { "\"\($0)\"" }.joined(separator: ",")
    let body =
      #"{"action":"\#(action)","type":"\#(type)","webhookTimestamp":\#(Int(sentAt.timeIntervalSince1970 * 1000)),"data":{"identifier":"\#(identifier)","previousIdentifiers":[\#(previousJSON)]}}"#
    let headers: HTTPHeaders = [
      "Linear-Signature": WebhookSignature.signHex(body: Data(body.utf8), secret: secret),
      "Linear-Event": type, "Linear-Delivery": delivery, "Content-Type": "application/json",
    ]
    return try await ctx.send(
      .POST, "/webhooks/linear/\(trackerID)", rawBody: body, headers: headers)
  }

  @Test(arguments: TestDatabase.all)
  func teamsSyncAndWebhooksKeepThemCurrent(_ database: TestDatabase) async throws {
    let linear = try await FakeLinear.start()
    defer { Task { try? await linear.stop() } }
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      let tracker = try await Self.create(ctx, admin: admin, linear: linear)
      #expect(tracker.scope?.teams == ["ENG"])
      let test = try await ctx.send(.POST, "/trackers/\(tracker.id)/test", token: admin)
      #expect(try test.content.decode(TrackerTestResponse.self).ok, "\(test.body.string)")

      let summary = try await TrackerTests().sync(ctx, tracker.id)
      #expect(summary.created == 3)
      let issues = try await Issue.query(on: ctx.app.db).sort(\.$externalKey).all()
      #expect(issues.map(\.externalKey) == ["ENG-118", "ENG-123", "ENG-97"])
      #expect(issues.map(\.statusCategory) == ["done", "in_progress", "done"])
      let stored = try #require(
        try await Tracker.find(UUID(uuidString: tracker.id), on: ctx.app.db))
      // to the millisecond: the databases keep microseconds, a Date binary fractions
      let expected = try #require(LoopbackFake.instant("2024-05-14T09:30:00.123Z"))
      #expect(abs(try #require(stored.syncCursor).timeIntervalSince(expected)) < 0.001)

      // a bad signature, a stale or future stamp, another entity and another team: no job
      let forged = try await Self.deliver(
        ctx, tracker.id, action: "update", identifier: "ENG-123", secret: "another-secret-value")
      #expect(forged.status == .unauthorized)
      for sentAt in [Date().addingTimeInterval(-120), Date().addingTimeInterval(120)] {
        let replayed = try await Self.deliver(
          ctx, tracker.id, action: "update", identifier: "ENG-123", sentAt: sentAt)
        #expect(replayed.status == .unauthorized)
      }
      let comment = try await Self.deliver(
        ctx, tracker.id, action: "create", identifier: "ENG-123", type: "Comment")
      #expect(comment.status == .ok && comment.body.readableBytes == 0)
      let elsewhere = try await Self.deliver(
        ctx, tracker.id, action: "update", identifier: "OPS-4")
      #expect(elsewhere.status == .ok && elsewhere.body.readableBytes == 0)

      // an edit is re-read once per delivery
      linear.update("ENG-123") { $0["title"] = "Crème brûlée crashes the editor" }
      let delivery = UUID().uuidString
      let edited = try await Self.deliver(
        ctx, tracker.id, action: "update", identifier: "ENG-123", delivery: delivery)
      let again = try await Self.deliver(
        ctx, tracker.id, action: "update", identifier: "ENG-123", delivery: delivery)
      #expect(edited.status == .ok)
      let job = try edited.content.decode(JobAccepted.self).jobId
      #expect(try again.content.decode(JobAccepted.self).jobId == job)
      #expect(try await runWorker(ctx, until: job) == "succeeded")
      #expect(
        try await ctx.issue(externalKey: "ENG-123")?.title == "Crème brûlée crashes the editor")

      // removed: Linear no longer finds it
      linear.delete("ENG-118")
      let removed = try await Self.deliver(ctx, tracker.id, action: "remove", identifier: "ENG-118")
      #expect(
        try await runWorker(ctx, until: try removed.content.decode(JobAccepted.self).jobId)
          == "succeeded")
      let gone = try #require(try await ctx.issue(externalKey: "ENG-118"))
      #expect(gone.deletedAt != nil)
      try await DeletedIssueTests.expectGone(ctx, issueID: try gone.requireID(), admin: admin)

      // moved to a team outside the scope: its old identifier names the issue we hold
      linear.update("ENG-123") {
        $0["identifier"] = "OPS-12"
        $0["team"] = ["id": "ops", "key": "OPS", "name": "Operations"]
      }
      let moved = try await Self.deliver(
        ctx, tracker.id, action: "update", identifier: "OPS-12", previous: ["ENG-123"])
      #expect(
        try await runWorker(ctx, until: try moved.content.decode(JobAccepted.self).jobId)
          == "succeeded")
      #expect(try await ctx.issue(externalKey: "ENG-123")?.deletedAt != nil)
    }
  }

  @Test(arguments: TestDatabase.all)
  func aTrashedIssueIsDeletedBySync(_ database: TestDatabase) async throws {
    let linear = try await FakeLinear.start()
    defer { Task { try? await linear.stop() } }
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      let tracker = try await Self.create(ctx, admin: admin, linear: linear)
      _ = try await TrackerTests().sync(ctx, tracker.id)
      linear.update("ENG-97") { $0["trashed"] = true }
      // act
      _ = try await TrackerTests().sync(ctx, tracker.id)
      // check
      #expect(try await ctx.issue(externalKey: "ENG-97")?.deletedAt != nil)
      #expect(try await ctx.issue(externalKey: "ENG-123")?.deletedAt == nil)
      // restored from the trash: back in the lists
      linear.update("ENG-97") { $0["trashed"] = false }
      _ = try await TrackerTests().sync(ctx, tracker.id)
      #expect(try await ctx.issue(externalKey: "ENG-97")?.deletedAt == nil)
    }
  }
}
