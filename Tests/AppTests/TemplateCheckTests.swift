import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// A candidate version rendered against the baseline for real issues, with nothing stored.
@Suite struct TemplateCheckTests {
  static func check(
    _ f: CoreLoopTests.Fixture, _ id: String, _ body: [String: Any], token: String? = nil
  )
    async throws -> TestingHTTPResponse
  {
    try await f.ctx.send(
      .POST, "/prompt-templates/\(id)/check", token: token ?? f.lead, object: body)
  }

  static func results(_ response: TestingHTTPResponse) -> [[String: Any]] {
    response.json?["issues"] as? [[String: Any]] ?? []
  }

  @Test(arguments: TestDatabase.all)
  func aCandidateIsComparedWithTheBaselineOnRecentIssues(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      // setup: two issues generated with version 1, in Go for one of them
      let f = try await CoreLoopTests.fixture(ctx)
      let loop = CoreLoopTests()
      let template = try await loop.createTemplate(f)
      let second = try await CoreLoopTests.insertIssue(
        ctx.app.db, companyID: ctx.companyID, key: "PS-43")
      let first = try await loop.generate(f, templateID: template.id)
      let other = try await ctx.send(
        .POST, "/prompts/generate", token: f.developer,
        object: [
          "issueId": second.uuidString, "templateId": template.id,
          "vars": ["tests": true, "language": "go"], "model": "gpt-4o",
        ])
      // version 2 adds a line; version 3 requires a variable nobody passed
      _ = try await ctx.send(
        .PATCH, "/prompt-templates/\(template.id)", token: f.lead,
        object: ["bodyMd": CoreLoopTests.body + "\nKeep the diff small."])
      var stricter = CoreLoopTests.schema
      stricter["required"] = ["tests", "audience"]
      stricter["properties"] = [
        "language": ["type": "string", "enum": ["swift", "go"], "default": "swift"],
        "tests": ["type": "boolean"], "audience": ["type": "string"],
      ]
      _ = try await ctx.send(
        .PATCH, "/prompt-templates/\(template.id)", token: f.lead,
        object: ["bodyMd": CoreLoopTests.body + "\nFor {{audience}}.", "lintJson": stricter])
      let before = try await ConsoleAPITests.rows(ctx)
      // act
      let againstPrevious = try await Self.check(f, template.id, ["candidate": 2])
      let afterFirst = try await ConsoleAPITests.rows(ctx)
      _ = try await TemplateLabelTests.move(f, template.id, "production", to: 1, token: f.lead)
      let beforeRest = try await ConsoleAPITests.rows(ctx)
      let againstProduction = try await Self.check(f, template.id, ["candidate": "latest"])
      let listed = try await Self.check(
        f, template.id, ["candidate": 2, "baseline": 1, "issues": [second.uuidString]])
      let unknownIssue = try await Self.check(
        f, template.id, ["candidate": 2, "issues": [UUID().uuidString]])
      let none = try await Self.check(f, template.id, ["candidate": 2, "issues": [String]()])
      let unknownLabel = try await Self.check(f, template.id, ["candidate": "staging"])
      let byDeveloper = try await Self.check(f, template.id, ["candidate": 2], token: f.developer)
      let after = try await ConsoleAPITests.rows(ctx)
      // check: the baseline's counts are the generations' own, the candidate adds its line
      #expect(againstPrevious.status == .ok)
      #expect(againstPrevious.json?["baseline"] as? Int == 1)
      let summary = againstPrevious.json?["summary"] as? [String: Any]
      #expect(summary?["checked"] as? Int == 2)
      #expect(summary?["failures"] as? Int == 0)
      let byKey = Dictionary(
        uniqueKeysWithValues: Self.results(againstPrevious).map {
          ($0["extKey"] as? String ?? "", $0)
        })
      #expect(byKey["PS-42"]?["baselineTokens"] as? Int == first.json?["tokens"] as? Int)
      #expect(byKey["PS-43"]?["baselineTokens"] as? Int == other.json?["tokens"] as? Int)
      let deltas = Self.results(againstPrevious).compactMap { $0["tokenDelta"] as? Int }
      #expect(deltas.count == 2 && deltas.allSatisfy { $0 > 0 })
      #expect(summary?["maxTokenDelta"] as? Int == deltas.max())
      let mean = Double(deltas.reduce(0, +)) / 2
      #expect(summary?["meanTokenDelta"] as? Double == mean)
      // version 3 refuses the variables the generations used
      let failing = againstProduction.json?["summary"] as? [String: Any]
      #expect(againstProduction.json?["candidate"] as? Int == 3)
      #expect(failing?["failures"] as? Int == 2)
      #expect(failing?["meanTokenDelta"] is NSNull)
      let errors = Self.results(againstProduction).first?["errors"] as? [[String: Any]]
      #expect(errors?.first?["side"] as? String == "candidate")
      #expect(errors?.first?["field"] as? String == "vars")
      #expect((errors?.first?["reason"] as? String)?.contains("audience") == true)
      #expect(Self.results(againstProduction).first?["candidateTokens"] is NSNull)
      #expect(Self.results(listed).map { $0["extKey"] as? String } == ["PS-43"])
      #expect(unknownIssue.status == .notFound)
      #expect((none.json?["summary"] as? [String: Any])?["checked"] as? Int == 0)
      #expect(unknownLabel.status == .unprocessableEntity)
      #expect(unknownLabel.problem?.errors?.first?.field == "candidate")
      #expect(byDeveloper.status == .forbidden)
      #expect(afterFirst == before)
      #expect(after == beforeRest)
    }
  }

  @Test(arguments: TestDatabase.all)
  func aFirstVersionNeedsABaselineAndARenderFailureIsReported(_ database: TestDatabase)
    async throws
  {
    try await withTestApp(database) { ctx in
      let f = try await CoreLoopTests.fixture(ctx)
      let loop = CoreLoopTests()
      let template = try await loop.createTemplate(f)
      _ = try await loop.generate(f, templateID: template.id)
      // version 2 calls a partial that is archived afterwards
      let footer = try await loop.createTemplate(f, name: "footer", body: "Thanks.")
      let saved = try await ctx.send(
        .PATCH, "/prompt-templates/\(template.id)", token: f.lead,
        object: ["bodyMd": "{{key}} {{> footer}}"])
      #expect(saved.status == .ok)
      _ = try await ctx.send(.DELETE, "/prompt-templates/\(footer.id)", token: f.lead)
      // act
      let noBaseline = try await Self.check(f, template.id, ["candidate": 1])
      let failing = try await Self.check(f, template.id, ["candidate": 2])
      let malformed = try await Self.check(f, template.id, ["candidate": "Prod!"])
      let tooMany = try await Self.check(f, template.id, ["candidate": 2, "sample": 101])
      // check
      #expect(noBaseline.status == .unprocessableEntity)
      #expect(noBaseline.problem?.errors?.first?.field == "baseline")
      #expect(failing.status == .ok)
      let result = Self.results(failing).first
      #expect(result?["baselineTokens"] as? Int != nil)
      #expect(result?["candidateTokens"] is NSNull)
      let errors = result?["errors"] as? [[String: Any]]
      #expect(errors?.first?["field"] as? String == "bodyMd")
      #expect(malformed.status == .badRequest || malformed.status == .unprocessableEntity)
      #expect(tooMany.status == .unprocessableEntity)
    }
  }
}
