import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// The endpoints the console needs, which every client gets: preview, models, lint, diff.
@Suite struct ConsoleAPITests {
  static func rows(_ ctx: TestContext) async throws -> [Int] {
    [
      try await PromptVersion.query(on: ctx.app.db).count(),
      try await GenerationEvent.query(on: ctx.app.db).count(),
      try await AuditEvent.query(on: ctx.app.db).count(),
      try await Prompt.query(on: ctx.app.db).count(),
    ]
  }

  @Test(arguments: TestDatabase.all)
  func aPreviewIsWhatGenerateStoresAndStoresNothing(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      // setup
      let f = try await CoreLoopTests.fixture(ctx)
      let template = try await CoreLoopTests().createTemplate(f)
      let body: [String: Any] = [
        "issueId": f.issueID.uuidString, "templateId": template.id, "vars": ["tests": true],
        "model": "gpt-4o",
      ]
      let before = try await Self.rows(ctx)
      // act
      let preview = try await ctx.send(
        .POST, "/prompts/preview", token: f.developer, object: body)
      let after = try await Self.rows(ctx)
      let generated = try await ctx.send(
        .POST, "/prompts/generate", token: f.developer, object: body)
      // check
      #expect(preview.status == .ok)
      #expect(after == before)
      let shown = try #require(preview.json)
      let stored = try #require(generated.json)
      #expect(shown["promptText"] as? String == stored["promptText"] as? String)
      #expect(shown["tokens"] as? Int == stored["tokens"] as? Int)
      #expect(shown["encoding"] as? String == "o200k_base")
      #expect(shown["templateVersion"] as? Int == 1)
    }
  }

  @Test(arguments: TestDatabase.all)
  func aDraftIsPreviewedWithoutATemplate(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let f = try await CoreLoopTests.fixture(ctx)
      let draft: [String: Any] = [
        "bodyMd": "{{key}} for {{who}}",
        "lintJson": [
          "type": "object", "required": ["who"],
          "properties": ["who": ["type": "string", "minLength": 2]],
        ],
      ]
      // act
      let shown = try await ctx.send(
        .POST, "/prompts/preview", token: f.lead,
        object: [
          "issueId": f.issueID.uuidString, "templateOverride": draft, "vars": ["who": "Dana"],
        ])
      let invalid = try await ctx.send(
        .POST, "/prompts/preview", token: f.lead,
        object: ["issueId": f.issueID.uuidString, "templateOverride": draft, "vars": ["who": "D"]])
      let neither = try await ctx.send(
        .POST, "/prompts/preview", token: f.lead, object: ["issueId": f.issueID.uuidString])
      let noIssue = try await ctx.send(
        .POST, "/prompts/preview", token: f.lead,
        object: ["issueId": UUID().uuidString, "templateOverride": draft, "vars": ["who": "Dana"]])
      // check
      #expect(shown.status == .ok)
      #expect(shown.json?["promptText"] as? String == "PS-42 for Dana")
      #expect(shown.json?["templateVersion"] is NSNull)
      #expect(invalid.status == .unprocessableEntity)
      #expect(invalid.problem?.errors?.first?.field == "vars/who")
      #expect(neither.status == .badRequest)
      #expect(neither.problem?.errors?.first?.field == "templateId")
      #expect(noIssue.status == .notFound)
      #expect(try await Self.rows(ctx)[0] == 0)
    }
  }

  @Test func modelsNameTheirEncodingAndOneDefault() async throws {
    try await withTestApp(.sqlite) { ctx in
      let f = try await CoreLoopTests.fixture(ctx)
      let response = try await ctx.send(.GET, "/models", token: f.developer)
      let models = try #require(
        try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]])
      #expect(
        models.filter { $0["default"] as? Bool == true }.map { $0["model"] as? String } == [
          GenerationRequest.defaultModel
        ])
      #expect(
        models.contains {
          $0["model"] as? String == "gpt-4o" && $0["encoding"] as? String == "o200k_base"
        })
    }
  }

  @Test(arguments: TestDatabase.all)
  func lintGivesASavesDiagnosticsWithoutSaving(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let f = try await CoreLoopTests.fixture(ctx)
      let saved = try await CoreLoopTests().createTemplate(
        f, name: "base", body: "Base for {{title}}")
      // act
      let broken = try await ctx.send(
        .POST, "/prompt-templates/lint", token: f.lead,
        object: ["bodyMd": "Hi\n{{#if tests}}\nno end", "lintJson": CoreLoopTests.schema])
      let clean = try await ctx.send(
        .POST, "/prompt-templates/lint", token: f.lead,
        object: ["bodyMd": "{{> base}} and {{title}}"])
      let cycle = try await ctx.send(
        .POST, "/prompt-templates/lint", token: f.lead,
        object: ["bodyMd": "{{> base}}", "name": "base"])
      let developer = try await ctx.send(
        .POST, "/prompt-templates/lint", token: f.developer, object: ["bodyMd": "x"])
      // check
      #expect(broken.status == .ok)
      let diagnostics = try #require(broken.json?["diagnostics"] as? [[String: Any]])
      #expect(
        diagnostics.contains {
          $0["code"] as? String == "unclosed-block" && $0["line"] as? Int == 2
            && $0["severity"] as? String == "error"
        })
      #expect((clean.json?["diagnostics"] as? [Any])?.isEmpty == true, "\(clean.bodyString)")
      #expect(
        (cycle.json?["diagnostics"] as? [[String: Any]])?.contains {
          ($0["severity"] as? String) == "error"
        } == true)
      #expect(developer.status == .forbidden)
      #expect(try await PromptTemplate.query(on: ctx.app.db).count() == 1)
      #expect(saved.version == 1)
    }
  }

  @Test(arguments: TestDatabase.all)
  func aDiffShowsTheBodyAndTheSchemaChangesThatBreakCallers(_ database: TestDatabase)
    async throws
  {
    try await withTestApp(database) { ctx in
      // setup: v1, then v2 with one line changed, `tests` gone and `ticket` required
      let f = try await CoreLoopTests.fixture(ctx)
      let created = try await ctx.send(
        .POST, "/prompt-templates", token: f.lead,
        object: [
          "name": "fix", "bodyMd": "one\ntwo\nthree\n{{#if tests}}t{{/if}}\n",
          "lintJson": ["type": "object", "properties": ["tests": ["type": "boolean"]]],
        ])
      let id = try #require(created.json?["id"] as? String)
      let updated = try await ctx.send(
        .PATCH, "/prompt-templates/\(id)", token: f.lead,
        object: [
          "bodyMd": "one\n2\nthree\n{{ticket}}\n",
          "lintJson": [
            "type": "object", "required": ["ticket"],
            "properties": ["ticket": ["type": "string"]],
          ],
        ])
      #expect(updated.status == .ok)
      // act
      let diff = try await ctx.send(.GET, "/prompt-templates/\(id)/diff", token: f.developer)
      let same = try await ctx.send(
        .GET, "/prompt-templates/\(id)/diff?from=2&to=2", token: f.developer)
      let missing = try await ctx.send(
        .GET, "/prompt-templates/\(id)/diff?from=7", token: f.developer)
      // check
      #expect(diff.status == .ok)
      let json = try #require(diff.json)
      #expect(json["from"] as? Int == 1 && json["to"] as? Int == 2)
      let body = try #require(json["body"] as? [String: Any])
      #expect(
        body["unified"] as? String
          == "--- v1\n+++ v2\n@@ -1,4 +1,4 @@\n one\n-two\n+2\n three\n-{{#if tests}}t{{/if}}\n+{{ticket}}\n"
      )
      let schema = try #require(json["schema"] as? [String: Any])
      #expect(schema["newlyRequired"] as? [String] == ["ticket"])
      #expect(schema["removedVariables"] as? [String] == ["tests"])
      let pointers = (schema["changes"] as? [[String: Any]])?.map {
        "\($0["kind"] as? String ?? "") \($0["pointer"] as? String ?? "")"
      }
      #expect(
        pointers?.sorted() == [
          "added /properties/ticket", "added /required", "removed /properties/tests",
        ])
      #expect((same.json?["body"] as? [String: Any])?["hunks"] as? [Any] != nil)
      #expect((same.json?["body"] as? [String: Any])?["unified"] as? String == "")
      #expect(missing.status == .notFound)
    }
  }

  @Test(arguments: TestDatabase.all)
  func templatesNameTheirAuthors(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let f = try await CoreLoopTests.fixture(ctx)
      let template = try await CoreLoopTests().createTemplate(f)
      let list = try await ctx.send(.GET, "/prompt-templates", token: f.developer)
      let versions = try await ctx.send(
        .GET, "/prompt-templates/\(template.id)/versions", token: f.developer)
      let rows = try #require(
        try JSONSerialization.jsonObject(with: Data(buffer: list.body)) as? [[String: Any]])
      let history = try #require(
        try JSONSerialization.jsonObject(with: Data(buffer: versions.body)) as? [[String: Any]])
      let lead = try #require(rows.first?["createdByName"] as? String)
      #expect(!lead.isEmpty)
      #expect(rows.first?["updatedByName"] as? String == lead)
      #expect(rows.first?["updatedBy"] as? String == rows.first?["createdBy"] as? String)
      #expect(history.first?["createdByName"] as? String == lead)
    }
  }
}

/// What the console met: a null schema means none, and a name clash names its field.
@Suite struct TemplateSchemaNullTests {
  @Test(arguments: TestDatabase.all)
  func aNullSchemaIsNoSchemaAndAClashNamesTheField(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let f = try await CoreLoopTests.fixture(ctx)
      let created = try await ctx.send(
        .POST, "/prompt-templates", token: f.lead,
        object: ["name": "plain", "bodyMd": "{{title}}", "lintJson": NSNull()])
      #expect(created.status == .created, "\(created.bodyString)")
      let id = try #require(created.json?["id"] as? String)
      let withSchema = try await ctx.send(
        .PATCH, "/prompt-templates/\(id)", token: f.lead,
        object: ["lintJson": ["type": "object"]])
      #expect(withSchema.json?["lintJson"] is [String: Any])
      let cleared = try await ctx.send(
        .PATCH, "/prompt-templates/\(id)", token: f.lead, object: ["lintJson": NSNull()])
      #expect(cleared.status == .ok, "\(cleared.bodyString)")
      #expect(!(cleared.json?["lintJson"] is [String: Any]), "the schema is gone")
      let linted = try await ctx.send(
        .POST, "/prompt-templates/lint", token: f.lead,
        object: ["bodyMd": "x", "lintJson": NSNull()])
      #expect(linted.status == .ok)
      let clash = try await ctx.send(
        .POST, "/prompt-templates", token: f.lead, object: ["name": "plain", "bodyMd": "y"])
      #expect(clash.status == .conflict)
      #expect(clash.problem?.errors?.first?.field == "name")
    }
  }
}

/// A prompt list names what it lists, without a request per row.
@Suite struct PromptSummaryTests {
  @Test(arguments: TestDatabase.all)
  func promptsNameTheirIssueTemplateAndLatestVersion(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let f = try await CoreLoopTests.fixture(ctx)
      let template = try await CoreLoopTests().createTemplate(f)
      _ = try await CoreLoopTests().generate(f, templateID: template.id)
      let second = try await CoreLoopTests().generate(f, templateID: template.id)
      let list = try await ctx.send(.GET, "/prompts?mine=true", token: f.developer)
      let rows = try #require(
        try JSONSerialization.jsonObject(with: Data(buffer: list.body)) as? [[String: Any]])
      #expect(rows.count == 1)
      #expect(rows.first?["issueKey"] as? String == "PS-42")
      #expect(rows.first?["issueTitle"] as? String == "Export invoices as CSV")
      #expect(rows.first?["templateName"] as? String == "implement")
      #expect(rows.first?["latestVersion"] as? Int == 2)
      #expect(rows.first?["latestTokens"] as? Int == second.json?["tokens"] as? Int)
      let id = try #require(rows.first?["id"] as? String)
      let one = try await ctx.send(.GET, "/prompts/\(id)", token: f.developer)
      #expect(one.json?["latestVersion"] as? Int == 2)
    }
  }
}

/// Developers cannot list trackers (admins only), so an issue names its tracker.
@Suite struct IssueTrackerNameTests {
  @Test(arguments: TestDatabase.all)
  func issuesNameTheirTracker(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let f = try await CoreLoopTests.fixture(ctx)
      let list = try await ctx.send(.GET, "/issues", token: f.developer)
      let rows = try #require(
        try JSONSerialization.jsonObject(with: Data(buffer: list.body)) as? [[String: Any]])
      #expect(rows.first?["trackerName"] as? String == "Acme Jira")
      let one = try await ctx.send(.GET, "/issues/\(f.issueID)", token: f.developer)
      #expect(one.json?["trackerName"] as? String == "Acme Jira")
    }
  }
}
