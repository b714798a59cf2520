import Fluent
import Foundation
import Testing
import Trackers
import Vapor
import VaporTesting

@testable import App

/// A GitHub repository connected as a tracker: synced from a local fake of GitHub's REST API,
/// kept current by signed webhooks, and its deleted or transferred issues leave the lists.
@Suite struct GitHubTrackerTests {
  static let secret = "a-github-webhook-secret"

  static func create(_ ctx: TestContext, admin: String, github: FakeGitHub) async throws
    -> TrackerResponse
  {
    let created = try await ctx.send(
      .POST, "/trackers", token: admin,
      object: [
        "type": "github", "name": "Octo repo", "baseUrl": github.baseURL,
        "auth": ["kind": "pat", "token": FakeGitHub.token],
        "scope": ["repositories": [FakeGitHub.repository], "inProgressLabel": "bug"],
        "webhookSecret": secret,
      ])
    #expect(created.status == .created, "\(created.body.string)")
    #expect(!created.body.string.contains(FakeGitHub.token))
    return try created.content.decode(TrackerResponse.self)
  }

  /// Sends an `issues` event as GitHub does: signed, JSON or form-encoded.
  static func deliver(
    _ ctx: TestContext, _ trackerID: String, action: String, number: Int,
    repository: String = FakeGitHub.repository, form: Bool = false, secret: String = secret,
    event: String = "issues"
  ) async throws -> TestingHTTPResponse {
    let json =
      #"{"action":"\#(action)","issue":{"number":\#(number)},"repository":{"full_name":"\#(repository)"}}"#
    let body =
      form
      ? "payload=" + (json.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
      : json
    let headers: HTTPHeaders = [
      "X-Hub-Signature-256": WebhookSignature.sign(body: Data(body.utf8), secret: secret),
      "X-GitHub-Event": event, "X-GitHub-Delivery": UUID().uuidString,
      "Content-Type": form ? "application/x-www-form-urlencoded" : "application/json",
    ]
    return try await ctx.send(
      .POST, "/webhooks/github/\(trackerID)", rawBody: body, headers: headers)
  }

  @Test(arguments: TestDatabase.all)
  func aRepositorySyncsAndWebhooksKeepItCurrent(_ database: TestDatabase) async throws {
    let github = try await FakeGitHub.start()
    defer { Task { try? await github.stop() } }
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      let tracker = try await Self.create(ctx, admin: admin, github: github)
      #expect(tracker.scope?.repositories == [FakeGitHub.repository])
      let test = try await ctx.send(.POST, "/trackers/\(tracker.id)/test", token: admin)
      #expect(try test.content.decode(TrackerTestResponse.self).ok)

      // the pull request is skipped; the assigned, labelled open issue is in progress
      let summary = try await TrackerTests().sync(ctx, tracker.id)
      #expect(summary.created == 3)
      let issues = try await Issue.query(on: ctx.app.db).sort(\.$externalKey).all()
      #expect(
        issues.map(\.externalKey) == [
          "octo-org/octo-repo#1347", "octo-org/octo-repo#1348", "octo-org/octo-repo#1350",
        ])
      #expect(issues.map(\.statusCategory) == ["in_progress", "done", "in_progress"])
      #expect(issues[0].descriptionMarkdown.contains("Crème brûlée ✓ 日本語"))
      let stored = try #require(
        try await Tracker.find(UUID(uuidString: tracker.id), on: ctx.app.db))
      #expect(stored.syncCursor == ISO8601DateFormatter().date(from: "2024-05-06T07:30:55Z"))

      // webhooks: a bad signature, a ping and another repository's event change nothing
      let forged = try await Self.deliver(
        ctx, tracker.id, action: "edited", number: 1347, secret: "wrong-secret-of-length")
      #expect(forged.status == .unauthorized)
      let ping = try await Self.deliver(ctx, tracker.id, action: "ping", number: 1, event: "ping")
      #expect(ping.status == .noContent)
      let elsewhere = try await Self.deliver(
        ctx, tracker.id, action: "edited", number: 1, repository: "octo-org/other")
      #expect(elsewhere.status == .noContent)

      // deleted at GitHub (410): the issue leaves the lists, then comes back
      github.gone.withLockedValue { $0[1347] = 410 }
      let deleted = try await Self.deliver(ctx, tracker.id, action: "deleted", number: 1347)
      #expect(deleted.status == .accepted)
      let job = try deleted.content.decode(JobAccepted.self).jobId
      #expect(try await runWorker(ctx, until: job) == "succeeded")
      let gone = try #require(
        try await Issue.query(on: ctx.app.db).filter(\.$externalKey == "octo-org/octo-repo#1347")
          .first())
      #expect(gone.deletedAt != nil)
      try await DeletedIssueTests.expectGone(ctx, issueID: try gone.requireID(), admin: admin)
      github.gone.withLockedValue { $0[1347] = nil }
      let back = try await Self.deliver(ctx, tracker.id, action: "edited", number: 1347, form: true)
      #expect(back.status == .accepted)
      #expect(
        try await runWorker(ctx, until: try back.content.decode(JobAccepted.self).jobId)
          == "succeeded")
      #expect(try await Issue.find(gone.id, on: ctx.app.db)?.deletedAt == nil)

      // transferred to another repository (301): gone from this tracker
      github.gone.withLockedValue { $0[1348] = 301 }
      let moved = try await Self.deliver(ctx, tracker.id, action: "transferred", number: 1348)
      #expect(
        try await runWorker(ctx, until: try moved.content.decode(JobAccepted.self).jobId)
          == "succeeded")
      let transferred = try await Issue.query(on: ctx.app.db).filter(
        \.$externalKey == "octo-org/octo-repo#1348"
      ).first()
      #expect(transferred?.deletedAt != nil)
    }
  }

  @Test(arguments: TestDatabase.all)
  func aGitHubTrackerIsCheckedFieldByField(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      let base: [String: Any] = [
        "type": "github", "name": "Octo", "baseUrl": "https://x.example",
        "auth": ["kind": "pat", "token": "t"],
      ]
      let cases: [([String: Any], Int, String)] = [
        ([:], 422, "scope.repositories"),
        (["scope": ["repositories": ["not-a-repository"]]], 422, "repositories"),
        (
          ["scope": ["repositories": ["a/b"]], "auth": ["kind": "apiKey", "apiKey": "k"]], 422,
          "auth.kind"
        ),
        (["type": "jira-dc", "scope": ["repositories": ["a/b"]]], 422, "scope"),
      ]
      for (change, status, field) in cases {
        let body = base.merging(change) { _, new in new }
        let response = try await ctx.send(.POST, "/trackers", token: admin, object: body)
        #expect(Int(response.status.code) == status, "\(change)")
        #expect(response.body.string.contains(field), "\(change): \(response.body.string)")
      }
      #expect(try await Tracker.query(on: ctx.app.db).count() == 0)
    }
  }
}
