import Foundation
import Testing
import Tokenizer

@testable import App

/// `promptsmith render` and `lint`, on real files.
@Suite struct TemplatingCommandTests {
  func folder(_ files: [String: String]) throws -> URL {
    let root = FileManager.default.temporaryDirectory
      .appendingPathComponent("ps-render-\(UUID().uuidString)")
    for (name, text) in files {
      let url = root.appendingPathComponent(name)
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try text.write(to: url, atomically: true, encoding: .utf8)
    }
    return root
  }

  func run(_ arguments: [String]) async -> (Int32, String, String) {
    let captured = ToolCommandTests.Captured()
    let status = await ToolCommands.run(arguments, io: captured.io)
    return (status, captured.stdout, captured.stderr)
  }

  @Test func renderPrintsExactlyTheRendering() async throws {
    let root = try folder([
      "t.hbs": "# {{title}}\n{{#each labels}}- {{this}}\n{{/each}}{{> footer}}",
      "data.json": #"{"title": "CSV export", "labels": ["a", "b"]}"#,
      "partials/footer.hbs": "-- {{upper title}}",
    ])
    defer { try? FileManager.default.removeItem(at: root) }
    let result = await run([
      "render", root.appendingPathComponent("t.hbs").path, "--data",
      root.appendingPathComponent("data.json").path, "--partials",
      root.appendingPathComponent("partials").path,
    ])
    #expect(result.0 == 0)
    #expect(result.1 == "# CSV export\n- a\n- b\n-- CSV EXPORT")
  }

  @Test func renderCutsTruncateTokensInTheModelsEncoding() async throws {
    let description = String(repeating: "請求書をCSVで書き出す。", count: 40)
    let root = try folder([
      "t.hbs": "{{truncateTokens description 12}}",
      "data.json": #"{"description": "\#(description)"}"#,
    ])
    defer { try? FileManager.default.removeItem(at: root) }
    let template = root.appendingPathComponent("t.hbs").path
    let data = root.appendingPathComponent("data.json").path
    // act
    let o200k = await run(["render", template, "--data", data, "--model", "gpt-4o"])
    let byDefault = await run(["render", template, "--data", data])
    let unknown = await run(["render", template, "--data", data, "--model", "gpt-1"])
    // check: each cut as the server cuts it, in the model's encoding
    for (result, model) in [(o200k, "gpt-4o"), (byDefault, "gpt-3.5-turbo")] {
      let encoding = try Encoding.forModel(model)
      let cut = encoding.truncate(description, toTokens: 12)
      #expect(result.0 == 0)
      #expect(result.1 == "\(cut.text)… [truncated \(cut.removed) tokens]")
    }
    #expect(o200k.1 != byDefault.1)
    #expect(unknown.0 == 2)
  }

  @Test func renderAndLintAcceptLayouts() async throws {
    let root = try folder([
      "t.hbs": "{{#> page}}{{#*inline \"title\"}}{{upper title}}{{/inline}}body{{/page}}",
      "data.json": #"{"title": "csv export"}"#,
      "partials/page.hbs": "# {{> title}}\n{{> @partial-block}}\n",
    ])
    defer { try? FileManager.default.removeItem(at: root) }
    let template = root.appendingPathComponent("t.hbs").path
    let partials = root.appendingPathComponent("partials").path
    let rendered = await run([
      "render", template, "--data", root.appendingPathComponent("data.json").path, "--partials",
      partials,
    ])
    #expect(rendered.0 == 0)
    #expect(rendered.1 == "# CSV EXPORT\nbody")
    let linted = await run(["lint", template, "--partials", partials])
    #expect(linted.0 == 0 && linted.1.isEmpty)
  }

  @Test func renderReportsErrorsWithPositions() async throws {
    let root = try folder(["t.hbs": "ok\n{{#if x}}\nno end", "data.json": "{}"])
    defer { try? FileManager.default.removeItem(at: root) }
    let result = await run([
      "render", root.appendingPathComponent("t.hbs").path, "--data",
      root.appendingPathComponent("data.json").path,
    ])
    #expect(result.0 == 1)
    #expect(result.2.contains("t.hbs:"))
    #expect(await run(["render", "only-template.hbs"]).0 == 2)
  }

  @Test func aTemplatePastARenderBudgetExitsWithStatusThree() async throws {
    let loops =
      "{{#each items}}{{#each @root.items}}{{#each @root.items}}x{{/each}}{{/each}}{{/each}}"
    let root = try folder([
      "loops.hbs": loops,
      "data.json": "{\"items\": [" + (0..<300).map(String.init).joined(separator: ",") + "]}",
      "deep.hbs": "{{#if x}}" + String(repeating: "{{else if x}}", count: 500) + "{{/if}}",
    ])
    defer { try? FileManager.default.removeItem(at: root) }
    let rendered = await run([
      "render", root.appendingPathComponent("loops.hbs").path, "--data",
      root.appendingPathComponent("data.json").path,
    ])
    #expect(rendered.0 == 3)
    // 27 million steps: the iteration budget, or in a slow debug build the two seconds first
    #expect(
      rendered.2.contains("render-limit-exceeded: iterations")
        || rendered.2.contains("render-limit-exceeded: time"))
    let linted = await run(["lint", root.appendingPathComponent("deep.hbs").path])
    #expect(linted.0 == 3)
    #expect(linted.1.contains("render-limit-exceeded"))
  }

  @Test func lintPrintsOneDiagnosticPerLine() async throws {
    let root = try folder([
      "t.hbs": "{{title}} {{nope}}\n{{#each}}{{/each}}",
      "schema.json": #"{"type":"object","properties":{"unused":{"type":"string"}}}"#,
      "ok.hbs": "{{title}} {{unused}}",
    ])
    defer { try? FileManager.default.removeItem(at: root) }
    let schema = root.appendingPathComponent("schema.json").path
    let bad = await run(["lint", root.appendingPathComponent("t.hbs").path, "--schema", schema])
    #expect(bad.0 == 1)
    let lines = bad.1.split(separator: "\n")
    #expect(lines.contains { $0.hasPrefix("1:") && $0.contains("error undefined-variable") })
    #expect(
      lines.allSatisfy {
        $0.range(of: #"^\d+:\d+ (error|warning) [a-z-]+ "#, options: .regularExpression) != nil
      })
    let good = await run(["lint", root.appendingPathComponent("ok.hbs").path, "--schema", schema])
    #expect(good.0 == 0 && good.1.isEmpty)
  }
}
