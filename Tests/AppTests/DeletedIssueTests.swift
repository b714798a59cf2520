import Fluent
import Foundation
import Testing
import Trackers
import VaporTesting

@testable import App

/// An issue deleted at its tracker leaves every list and new generations, stays readable by id
/// for the prompts made from it, and comes back when the tracker has it again.
@Suite struct DeletedIssueTests {
  @Test(arguments: TestDatabase.all)
  func aDeletedIssueLeavesTheListsAndComesBack(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let f = try await CoreLoopTests.fixture(ctx)
      let template = try await CoreLoopTests().createTemplate(f)
      let generated = try await CoreLoopTests().generate(f, templateID: template.id)
      let promptID = try #require(generated.json?["promptId"] as? String)
      let issue = try #require(try await Issue.find(f.issueID, on: ctx.app.db))
      let tracker = try #require(try await Tracker.find(issue.$tracker.id, on: ctx.app.db))
      let sync = TrackerSync(database: ctx.app.db, logger: ctx.app.logger)
      // what Teamwork's mapper makes of a task whose status is `deleted`
      var source = TrackerIssue(
        externalId: "1", key: issue.externalKey, title: issue.title,
        descriptionMarkdown: issue.descriptionMarkdown, criteriaMarkdown: nil,
        statusName: "deleted", statusCategory: .done, priority: nil, type: nil, labels: [],
        assignees: [], browseURL: "https://tracker.example/1", updatedAt: Date(),
        isDeleted: true, rawJSON: Data("{}".utf8))
      #expect(try await sync.upsert(source, tracker: tracker, on: ctx.app.db) == .updated)
      let deletedAt = try #require(try await Issue.find(f.issueID, on: ctx.app.db)?.deletedAt)
      // seen again as deleted: the first deletion time stays
      source.updatedAt = source.updatedAt.addingTimeInterval(1)
      _ = try await sync.upsert(source, tracker: tracker, on: ctx.app.db)
      #expect(try await Issue.find(f.issueID, on: ctx.app.db)?.deletedAt == deletedAt)

      try await Self.expectGone(ctx, issueID: f.issueID, admin: f.admin)
      let prompt = try await ctx.send(.GET, "/prompts/\(promptID)", token: f.developer)
      #expect(prompt.status == .ok)

      // restored at the tracker, with the same update time as the deletion
      source.isDeleted = false
      source.statusName = "new"
      source.statusCategory = .todo
      #expect(try await sync.upsert(source, tracker: tracker, on: ctx.app.db) == .updated)
      let listed = try await ctx.send(.GET, "/issues", token: f.admin)
      #expect(listed.body.string.contains(f.issueID.uuidString.lowercased()))
      #expect(!listed.body.string.contains("deletedAt"))
      let again = try await CoreLoopTests().generate(f, templateID: template.id)
      #expect(again.status == .created)
    }
  }

  @Test(arguments: TestDatabase.all)
  func theDeletedListIsForLeadsAndAskedPlainly(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let f = try await CoreLoopTests.fixture(ctx)
      for (token, status) in [(f.developer, 403), (f.lead, 200), (f.admin, 200)] {
        let response = try await ctx.send(.GET, "/issues?deleted=true", token: token)
        #expect(Int(response.status.code) == status)
      }
      let plain = try await ctx.send(.GET, "/issues?deleted=false", token: f.developer)
      #expect(plain.status == .ok)
      let refused = try await ctx.send(.GET, "/issues?deleted=yes", token: f.lead)
      #expect(refused.status == .unprocessableEntity || refused.status == .badRequest)
    }
  }

  /// The issue is in no list but the deleted one, readable by id with `deletedAt`, and a 404 for
  /// generate, preview and the regression check.
  static func expectGone(_ ctx: TestContext, issueID: UUID, admin: String) async throws {
    let id = issueID.uuidString.lowercased()
    let listed = try await ctx.send(.GET, "/issues", token: admin)
    #expect(!listed.body.string.contains(id))
    let searched = try await ctx.send(.GET, "/issues?status=done", token: admin)
    #expect(!searched.body.string.contains(id))
    let deleted = try await ctx.send(.GET, "/issues?deleted=true", token: admin)
    let items = try #require(
      try JSONSerialization.jsonObject(with: Data(buffer: deleted.body)) as? [[String: Any]])
    #expect(items.contains { $0["id"] as? String == id && $0["deletedAt"] is String })
    let shown = try await ctx.send(.GET, "/issues/\(id)", token: admin)
    #expect(shown.status == .ok)
    #expect(shown.json?["deletedAt"] is String)

    let template = try await ctx.send(
      .POST, "/prompt-templates", token: admin,
      object: ["name": "gone-\(UUID().uuidString.prefix(8))", "bodyMd": "{{title}}"])
    let templateID = try #require(template.json?["id"] as? String)
    for path in ["/prompts/generate", "/prompts/preview"] {
      let refused = try await ctx.send(
        .POST, path, token: admin, object: ["issueId": id, "templateId": templateID])
      #expect(refused.status == .notFound, "\(path)")
    }
    let checked = try await ctx.send(
      .POST, "/prompt-templates/\(templateID)/check", token: admin,
      object: ["candidate": 1, "baseline": 1, "issues": [id]])
    #expect(checked.status == .notFound)
  }
}
