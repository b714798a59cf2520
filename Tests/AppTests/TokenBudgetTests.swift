import Fluent
import Foundation
import Testing
import Tokenizer
import VaporTesting

@testable import App

/// A template version's `maxTokens`: generation and preview refuse past it unless allowed,
/// `truncateTokens` keeps a long value inside it, lint warns when the fixed text alone is over.
@Suite struct TokenBudgetTests {
  static let longDescription = String(repeating: "Финансам нужен экспорт 📊 в CSV. ", count: 60)

  @Test(arguments: TestDatabase.all)
  func aPromptOverItsBudgetIsRefusedUnlessAllowed(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let f = try await CoreLoopTests.fixture(ctx)
      let issue = try await Issue.find(f.issueID, on: ctx.app.db)
      issue?.descriptionMarkdown = Self.longDescription
      try await issue?.save(on: ctx.app.db)
      let created = try await ctx.send(
        .POST, "/prompt-templates", token: f.lead,
        object: ["name": "budgeted", "bodyMd": "{{key}}\n{{description}}", "maxTokens": 50])
      let id = try #require(created.json?["id"] as? String)
      let body: [String: Any] = [
        "issueId": f.issueID.uuidString, "templateId": id, "model": "gpt-4o",
      ]
      // act
      let refused = try await ctx.send(.POST, "/prompts/generate", token: f.developer, object: body)
      let preview = try await ctx.send(.POST, "/prompts/preview", token: f.developer, object: body)
      var allowed = body
      allowed["allowOverBudget"] = true
      let over = try await ctx.send(.POST, "/prompts/generate", token: f.developer, object: allowed)
      // version 2 cuts the description to 20 tokens of the request's encoding
      let truncating = try await ctx.send(
        .PATCH, "/prompt-templates/\(id)", token: f.lead,
        object: ["bodyMd": "{{key}}\n{{truncateTokens description 20}}"])
      let fits = try await ctx.send(.POST, "/prompts/generate", token: f.developer, object: body)
      let removed = try await ctx.send(
        .PATCH, "/prompt-templates/\(id)", token: f.lead, object: ["maxTokens": NSNull()])
      // check
      #expect(created.json?["maxTokens"] as? Int == 50)
      #expect(refused.status == .unprocessableEntity)
      let problem = try #require(refused.json)
      #expect(problem["type"] as? String == "token-budget-exceeded")
      #expect(problem["maxTokens"] as? Int == 50)
      let encoding = try Encoding.forModel("gpt-4o")
      let expected = encoding.count("PS-42\n" + Self.longDescription)
      #expect(problem["tokens"] as? Int == expected)
      let largest = problem["largest"] as? [[String: Any]]
      #expect(largest?.first?["name"] as? String == "description")
      #expect(largest?.first?["tokens"] as? Int == encoding.count(Self.longDescription))
      #expect(preview.status == .unprocessableEntity)
      #expect(over.status == .created)
      let overID = try #require(over.json?["promptVersionId"] as? String)
      let stored = try await ctx.send(.GET, "/prompt-versions/\(overID)", token: f.developer)
      #expect(stored.json?["allowOverBudget"] as? Bool == true)
      #expect(truncating.json?["version"] as? Int == 2)
      #expect(truncating.json?["maxTokens"] as? Int == 50)
      #expect(fits.status == .created)
      let text = try #require(fits.json?["promptText"] as? String)
      let cut = encoding.truncate(Self.longDescription, toTokens: 20)
      #expect(text == "PS-42\n\(cut.text)… [truncated \(cut.removed) tokens]")
      #expect(encoding.count(cut.text) <= 20)
      #expect(removed.json?["version"] as? Int == 3)
      #expect(removed.json?["maxTokens"] == nil)
      let versions = try await PromptTemplateVersion.query(on: ctx.app.db)
        .sort(\.$version).all().map(\.maxTokens)
      #expect(versions == [50, 50, nil])
    }
  }

  @Test(arguments: TestDatabase.all)
  func lintWarnsWhenTheFixedTextAloneIsOverTheBudget(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let f = try await CoreLoopTests.fixture(ctx)
      let fixed = String(repeating: "Always write tests first. ", count: 20)
      // act
      let created = try await ctx.send(
        .POST, "/prompt-templates", token: f.lead,
        object: ["name": "wordy", "bodyMd": fixed + "{{key}}", "maxTokens": 10])
      let roomy = try await ctx.send(
        .POST, "/prompt-templates", token: f.lead,
        object: ["name": "roomy", "bodyMd": fixed + "{{key}}", "maxTokens": 1000])
      let invalid = try await ctx.send(
        .POST, "/prompt-templates", token: f.lead,
        object: ["name": "zero", "bodyMd": "{{key}}", "maxTokens": 0])
      // check
      #expect(created.status == .created)
      let warnings = created.json?["warnings"] as? [[String: Any]] ?? []
      #expect(warnings.map { $0["code"] as? String } == ["over-token-budget"])
      let roomyWarnings = roomy.json?["warnings"] as? [Any]
      #expect(roomyWarnings?.isEmpty ?? true)
      #expect(invalid.status == .badRequest || invalid.status == .unprocessableEntity)
    }
  }
}
