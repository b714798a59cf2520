import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// Templates and variables come from users: a hostile one gets a 422 `render-limit-exceeded`
/// naming the budget, quickly, and the server goes on serving.
@Suite struct RenderLimitTests {
  static func limit(of response: TestingHTTPResponse) -> String? {
    let object = try? JSONSerialization.jsonObject(with: Data(buffer: response.body))
    return (object as? [String: Any])?["limit"] as? String
  }

  @Test(arguments: TestDatabase.all)
  func aTemplateOfEighteenThousandElseIfsIsRefusedNotFatal(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let f = try await CoreLoopTests.fixture(ctx)
      // 18,000 links in 234 KB, under the 256 KiB a body may have
      let body = "{{#if x}}" + String(repeating: "{{else if x}}", count: 18_000) + "{{/if}}"
      let saved = try await ctx.send(
        .POST, "/prompt-templates", token: f.lead,
        object: ["name": "chain", "bodyMd": body])
      #expect(saved.status == .unprocessableEntity)
      #expect(saved.problem?.type == "render-limit-exceeded")
      #expect(Self.limit(of: saved) == "nesting")
      // the server is alive and answers the next request
      #expect(try await ctx.send(.GET, "/health").status == .ok)
    }
  }

  @Test(arguments: TestDatabase.all)
  func nestedLoopsOverCallerSentArraysStopAtTheIterationBudget(_ database: TestDatabase)
    async throws
  {
    try await withTestApp(database) { ctx in
      let f = try await CoreLoopTests.fixture(ctx)
      let template = try await CoreLoopTests().createTemplate(f)
      let items = Array(0..<1_000)
      let started = ContinuousClock.now
      let generated = try await CoreLoopTests().generate(
        f, templateID: template.id,
        extra: [
          "vars": ["items": items],
          "templateOverride": [
            "bodyMd":
              "{{#each items}}{{#each @root.items}}{{#each @root.items}}x{{/each}}{{/each}}{{/each}}",
            "lintJson": [
              "type": "object", "properties": ["items": ["type": "array"]],
            ],
          ],
        ])
      #expect(generated.status == .unprocessableEntity)
      #expect(generated.problem?.type == "render-limit-exceeded")
      #expect(["iterations", "output-bytes", "time"].contains(Self.limit(of: generated) ?? ""))
      #expect(ContinuousClock.now - started < .seconds(30))
      #expect(try await PromptVersionCount.count(ctx) == 0)
    }
  }

  /// `^(a+)+$` froze a thread on a crafted value with the backtracking engine; the linear one
  /// answers at once, and a backreference (not linear) is refused as a schema error.
  @Test(arguments: TestDatabase.all)
  func catastrophicPatternsInAnOverrideSchemaAnswerAtOnce(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let f = try await CoreLoopTests.fixture(ctx)
      let template = try await CoreLoopTests().createTemplate(f)
      func generate(pattern: String) async throws -> TestingHTTPResponse {
        try await CoreLoopTests().generate(
          f, templateID: template.id,
          extra: [
            "vars": ["word": String(repeating: "a", count: 5_000) + "!"],
            "templateOverride": [
              "bodyMd": "{{word}}",
              "lintJson": [
                "type": "object",
                "properties": ["word": ["type": "string", "pattern": pattern]],
              ],
            ],
          ])
      }
      let started = ContinuousClock.now
      let refused = try await generate(pattern: "^(a+)+$")
      #expect(refused.status == .unprocessableEntity)
      #expect(refused.problem?.errors?.first?.field == "vars/word")
      #expect(ContinuousClock.now - started < .seconds(10))
      let backreference = try await generate(pattern: "^(a)\\1$")
      #expect(backreference.status == .unprocessableEntity)
      #expect(backreference.bodyString.contains("backreference"))
    }
  }

  @Test(arguments: TestDatabase.all)
  func budgetsAreConfigurable(_ database: TestDatabase) async throws {
    let small: (inout AppConfig) -> Void = { $0.renderLimits.maxOutputBytes = 64 }
    try await withTestApp(database, configure: small) { ctx in
      let f = try await CoreLoopTests.fixture(ctx)
      let template = try await CoreLoopTests().createTemplate(f)
      let generated = try await CoreLoopTests().generate(
        f, templateID: template.id,
        extra: ["templateOverride": ["bodyMd": String(repeating: "long text ", count: 20)]])
      #expect(generated.status == .unprocessableEntity)
      #expect(Self.limit(of: generated) == "output-bytes")
    }
  }

  @Test func renderLimitsAreReadFromTheEnvironment() throws {
    var environment = OutboundSettingsTests.base
    environment["RENDER_MAX_ITERATIONS"] = "5000"
    environment["RENDER_MAX_OUTPUT_BYTES"] = "1048576"
    environment["RENDER_MAX_NESTING"] = "50"
    environment["RENDER_MAX_PARTIAL_EXPANSIONS"] = "10"
    environment["RENDER_MAX_MILLISECONDS"] = "250"
    let config = try AppConfig.load(environment: environment, isProduction: true)
    #expect(config.renderLimits.maxIterations == 5000)
    #expect(config.renderLimits.maxOutputBytes == 1_048_576)
    #expect(config.renderLimits.maxNesting == 50)
    #expect(config.renderLimits.maxPartialExpansions == 10)
    #expect(config.renderLimits.maxDuration == .milliseconds(250))
    environment["RENDER_MAX_NESTING"] = "0"
    #expect(throws: ConfigError.self) {
      try AppConfig.load(environment: environment, isProduction: true)
    }
  }
}

enum PromptVersionCount {
  static func count(_ ctx: TestContext) async throws -> Int {
    try await PromptVersion.query(on: ctx.app.db).count()
  }
}
