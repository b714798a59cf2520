import Fluent
import Foundation
import Testing
import Trackers
import Vapor

@testable import App

/// U+0000 (which PostgreSQL's text refuses) is a field error wherever a client sends it, and is
/// removed from what trackers send, on both databases.
@Suite struct NULCharacterTests {
  @Test(arguments: TestDatabase.all)
  func clientsGetAFieldErrorAndNothingIsWritten(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      // setup
      let output = try await OutputFixture.make(ctx)
      let storage = try await TestStorage.make(.file, app: ctx.app)
      defer { storage.remove() }
      output.use(storage, clamd: nil)
      let admin = try await ctx.adminToken()
      let templates = try await PromptTemplate.query(on: ctx.app.db).count()

      // act
      let template = try await ctx.send(
        .POST, "/prompt-templates", token: admin,
        rawBody: #"{"name": "a\u0000b", "bodyMd": "x", "lintJson": {"k\u0000": 1}}"#)
      let search = try await ctx.send(.GET, "/issues?q=a%00b", token: admin)
      let ide = try await output.upload {
        $0.field("ide", "vs\u{0}code")
        $0.text(Array("Done.".utf8))
      }
      let filename = try await output.upload {
        $0.file(Array("Done.".utf8), filename: "a\u{0}.md", contentType: "text/markdown")
      }
      let lookup = MCPIssueLookup(database: ctx.app.db, companyID: ctx.companyID)

      // check
      #expect(template.status == .unprocessableEntity)
      #expect(Set(template.problem?.errors?.map(\.field) ?? []) == ["name", "lintJson.k\u{0}"])
      #expect(search.status == .unprocessableEntity)
      #expect(search.problem?.errors?.map(\.field) == ["q"])
      #expect(ide.status == .unprocessableEntity)
      #expect(ide.problem?.errors?.map(\.field) == ["ide"])
      #expect(filename.status == .unprocessableEntity)
      #expect(filename.problem?.errors?.map(\.field) == ["file"])
      await #expect(throws: AppError.self) { try await lookup.issue(key: "PS\u{0}", tracker: nil) }
      #expect(try await PromptTemplate.query(on: ctx.app.db).count() == templates)
      #expect(try await output.counts().outputs == 0)
    }
  }

  @Test(arguments: TestDatabase.all)
  func trackerTextIsStoredWithoutIt(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      // setup
      let tracker = Tracker(
        companyID: ctx.companyID, type: "jira-dc", name: "Jira", baseURL: "https://j.example")
      try await tracker.create(on: ctx.app.db)
      let source = TrackerIssue(
        externalId: "1", key: "PS-1", title: "Fix\u{0} it", descriptionMarkdown: "a\u{0}b",
        criteriaMarkdown: "\u{0}", statusName: "Open", statusCategory: .todo, priority: "P\u{0}",
        type: "Bug", labels: ["x\u{0}"],
        assignees: [TrackerUser(externalId: "u", name: "A\u{0}", email: nil)],
        browseURL: "https://j.example/browse/PS-1", updatedAt: Date(),
        rawJSON: Data(#"{"summary": "Fix\u0000 it"}"#.utf8))

      // act
      let outcome = try await TrackerSync(database: ctx.app.db, logger: ctx.app.logger)
        .upsert(source, tracker: tracker, on: ctx.app.db)

      // check
      #expect(outcome == .created)
      let issue = try #require(try await Issue.query(on: ctx.app.db).first())
      #expect(issue.title == "Fix it")
      #expect(issue.descriptionMarkdown == "ab")
      #expect(issue.criteriaMarkdown == "")
      #expect(issue.priority == "P")
      #expect(issue.labelsJSON == #"["x"]"#)
      #expect(issue.assigneeName == "A")
    }
  }
}
