import Foundation
import Testing

@testable import Templating

/// A resolver that counts how often it is asked, to show the linter asks once per name.
private final class CountingResolver: PartialResolver, @unchecked Sendable {
  private let sources: PartialDictionary
  private let lock = NSLock()
  private var counts: [String: Int] = [:]

  init(_ sources: [String: String]) {
    self.sources = PartialDictionary(sources)
  }

  func partial(named name: String) throws(TemplateError) -> CompiledTemplate? {
    lock.withLock { counts[name, default: 0] += 1 }
    return try sources.partial(named: name)
  }

  var total: Int { lock.withLock { counts.values.reduce(0, +) } }
}

private func limitDiagnostics(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
  diagnostics.filter { $0.code == DiagnosticCode.limitExceeded.rawValue }
}

@Suite struct LintLimitsTests {
  @Test func partialExpansionBombIsReported() throws {
    // setup
    let schema = try JSONSchema(["properties": ["unused": ["type": "string"]]])
    // act
    let diagnostics = Linter.lint(
      "x\n {{> p0}}", schema: schema, partials: PartialDictionary(partialBomb))
    // check: one error at the call, and no guesswork about unused variables after it
    #expect(diagnostics.count == 1)
    let diagnostic = try #require(diagnostics.first)
    #expect(diagnostic.limit == .partialExpansions)
    #expect(diagnostic.formatted.hasPrefix("2:2 error render-limit-exceeded in partial 'p"))
    #expect(
      diagnostic.message.hasSuffix(
        "the template includes partials more than 1000 times (RENDER_MAX_PARTIAL_EXPANSIONS)"))
  }

  @Test func partialsAreResolvedOncePerLint() {
    let resolver = CountingResolver(["p": "{{title}}", "q": "{{> p}}{{> p}}"])
    let template =
      String(repeating: "{{> p}}", count: 500) + String(repeating: "{{> q}}", count: 100)
    #expect(Linter.lint(template, schema: nil, partials: resolver).isEmpty)
    #expect(resolver.total == 2)
  }

  @Test func customBudgetsAreHonoured() {
    let nesting = Linter.lint(
      "{{#if title}}\n {{#if title}}{{/if}}{{/if}}", schema: nil,
      limits: RenderLimits(maxNesting: 1))
    #expect(
      nesting.map(\.formatted) == [
        "2:2 error render-limit-exceeded blocks, else-if chains and sub-expressions nest more "
          + "than 1 level deep, partials included (RENDER_MAX_NESTING)"
      ])
    #expect(nesting.first?.limit == .nesting)

    let partials = PartialDictionary(["p": "{{#if title}}{{#if title}}{{/if}}{{/if}}"])
    let inPartial = Linter.lint(
      "{{> p}}", schema: nil, partials: partials, limits: RenderLimits(maxNesting: 1))
    #expect(limitDiagnostics(inPartial).map(\.limit) == [.nesting])
    #expect(inPartial.first?.message.hasPrefix("partial 'p' does not compile: ") == true)

    let expansions = Linter.lint(
      "{{> p}}{{> p}}", schema: nil, partials: PartialDictionary(["p": "{{title}}"]),
      limits: RenderLimits(maxPartialExpansions: 1))
    #expect(expansions.map(\.limit) == [.partialExpansions])
    #expect(expansions.first?.column == 8)

    let template = String(repeating: "{{title}} ", count: 1_000)
    let iterations = Linter.lint(template, schema: nil, limits: RenderLimits(maxIterations: 100))
    #expect(iterations.map(\.limit) == [.iterations])

    let time = Linter.lint(template, schema: nil, limits: RenderLimits(maxDuration: .zero))
    #expect(time.map(\.limit) == [.time])
    #expect(time.first?.severity == .error)
  }

  @Test func defaultBudgetsChangeNothingForOrdinaryTemplates() {
    let diagnostics = Linter.lint(
      "{{#each labels}}{{this}}{{/each}} {{> p}}", schema: nil,
      partials: PartialDictionary(["p": "{{title}}"]))
    #expect(diagnostics.isEmpty)
  }

  @Test func limitIsInTheJSONOnlyWhenSet() throws {
    let plain = Diagnostic(
      severity: .error, code: .syntaxError, message: "m", line: 1, column: 2)
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    #expect(
      String(decoding: try encoder.encode(plain), as: UTF8.self)
        == #"{"code":"syntax-error","column":2,"line":1,"message":"m","severity":"error"}"#)
    let limited = Diagnostic(
      severity: .error, code: .limitExceeded, message: "m", line: 1, column: 2,
      limit: .partialExpansions)
    let data = try encoder.encode(limited)
    #expect(
      String(decoding: data, as: UTF8.self)
        == #"{"code":"render-limit-exceeded","column":2,"limit":"partial-expansions","#
        + #""line":1,"message":"m","severity":"error"}"#)
    #expect(try JSONDecoder().decode(Diagnostic.self, from: data) == limited)
  }
}
