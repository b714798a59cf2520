import Foundation
import Testing

@testable import Templating

/// Renders and returns the error, which must be a `.limitExceeded`.
private func limitError(
  _ template: String, _ context: JSONValue = .null, partials: [String: String] = [:],
  limits: RenderLimits = .default
) -> TemplateError? {
  let error = #expect(throws: TemplateError.self) {
    try Template.render(
      template, context: context, partials: PartialDictionary(partials), limits: limits)
  }
  #expect(error?.kind == .limitExceeded, "\(String(describing: error))")
  return error
}

private func items(_ count: Int) -> JSONValue {
  .array((0..<count).map { .number(Double($0)) })
}

/// Partials `p0`…`p9`, each including the next one twice (`p9` prints one character): 1,023
/// inclusions from `{{> p0}}`, ten levels deep.
let partialBomb: [String: String] = {
  var sources: [String: String] = ["p9": "x"]
  for level in 0..<9 { sources["p\(level)"] = "{{> p\(level + 1)}}{{> p\(level + 1)}}" }
  return sources
}()

@Suite struct RenderLimitsTests {
  @Test func defaultsAreTheDocumentedOnes() {
    let limits = RenderLimits.default
    #expect(limits.maxIterations == 1_000_000)
    #expect(limits.maxOutputBytes == 4_194_304)
    #expect(limits.maxNesting == 100)
    #expect(limits.maxPartialExpansions == 1_000)
    #expect(limits.maxDuration == .seconds(2))
    #expect(RenderLimits() == limits)
    #expect(
      RenderLimit.allCases.map(\.rawValue) == [
        "iterations", "output-bytes", "nesting", "partial-expansions", "time",
      ])
  }

  @Test(
    "three nested each over a long list stop at the iteration budget",
    arguments: [300, 1_000])
  func nestedEachStops(count: Int) {
    // setup: 27 million or a billion iterations
    let template =
      "{{#each list}}{{#each @root.list}}{{#each @root.list}}x{{/each}}{{/each}}{{/each}}"
    // act
    let error = limitError(template, ["list": items(count)])
    // check: the budget stopped it (the time budget may come first on a slow machine)
    #expect(error?.limit == .iterations || error?.limit == .time)
    if error?.limit == .iterations {
      #expect(
        error?.message
          == "the template takes more than 1000000 steps (block iterations and evaluations) "
          + "(RENDER_MAX_ITERATIONS)")
    }
  }

  @Test func outputIsCheckedAsItGrows() {
    // A petabyte if it were only checked at the end.
    let big = JSONValue.string(String(repeating: "y", count: 1 << 20))
    let error = limitError(
      "{{#each list}}{{#each @root.list}}{{#each @root.list}}{{@root.big}}{{/each}}{{/each}}"
        + "{{/each}}",
      ["list": items(1_000), "big": big])
    #expect(error?.limit == .outputBytes)
    #expect(
      error?.message == "the template renders more than 4194304 bytes (RENDER_MAX_OUTPUT_BYTES)")
  }

  @Test func outputBudgetCoversPartialsAndNestedBuffers() {
    let context: JSONValue = [
      "list": items(100), "big": .string(String(repeating: "y", count: 100_000)),
    ]
    #expect(limitError("{{#each list}}{{@root.big}}{{/each}}", context)?.limit == .outputBytes)
    #expect(
      limitError("{{#each list}}{{> p}}{{/each}}", context, partials: ["p": "{{@root.big}}"])?
        .limit == .outputBytes)
    #expect(
      limitError(
        "{{#each list}}{{#if true}}{{#each @root.list}}{{@root.big}}{{/each}}{{/if}}{{/each}}",
        context)?.limit == .outputBytes)
    // A standalone partial is indented line by line: the indentation counts too.
    let lines = JSONValue.string(String(repeating: "\n", count: 10_000))
    let indent = String(repeating: " ", count: 1_000)
    #expect(
      limitError("\(indent){{> p}}\n", ["lines": lines], partials: ["p": "{{lines}}"])?.limit
        == .outputBytes)
  }

  @Test func helpersStopBuildingLongResults() {
    let separator = JSONValue.string(String(repeating: ",", count: 100_000))
    #expect(
      limitError("{{join list sep}}", ["list": items(1_000), "sep": separator])?.limit
        == .outputBytes)
    #expect(
      limitError("{{#if (join list sep)}}x{{/if}}", ["list": items(1_000), "sep": separator])?
        .limit == .outputBytes)
    #expect(
      limitError(
        "{{bullets list}}", ["list": items(1_000)], limits: RenderLimits(maxOutputBytes: 100))?
        .limit == .outputBytes)
    // JSON indentation grows with depth.
    var deep = JSONValue.array(Array(repeating: 1, count: 20_000))
    for _ in 0..<200 { deep = .array([deep]) }
    #expect(limitError("{{json deep}}", ["deep": deep])?.limit == .outputBytes)
  }

  @Test func outputExactlyAtTheBudgetRenders() throws {
    // Nested buffers (block bodies, partials) are counted once, not once per level.
    let limits = RenderLimits(maxOutputBytes: 10)
    let template = "{{#if true}}{{#each list}}{{> p}}{{/each}}{{/if}}"
    let partials = PartialDictionary(["p": "{{#with this}}{{this}}{{/with}}"])
    let context: JSONValue = ["list": items(10)]
    #expect(
      try Template.render(template, context: context, partials: partials, limits: limits)
        == "0123456789")
    let error = #expect(throws: TemplateError.self) {
      try Template.render(
        template + "!", context: context, partials: partials, limits: limits)
    }
    #expect(error?.limit == .outputBytes)
  }

  @Test func partialExpansionBombStops() {
    let error = limitError("{{> p0}}", partials: partialBomb)
    #expect(error?.limit == .partialExpansions)
    #expect(
      error?.message
        == "the template includes partials more than 1000 times (RENDER_MAX_PARTIAL_EXPANSIONS)")
    // One level less is 511 inclusions: within the budget.
    var smaller = partialBomb
    smaller["p8"] = "x"
    #expect(
      (try? Template.render("{{> p0}}", context: .null, partials: PartialDictionary(smaller)))
        == String(repeating: "x", count: 256))
  }

  @Test func customIterationBudget() throws {
    let limits = RenderLimits(maxIterations: 10)
    // Four nodes and three iterations.
    #expect(
      try Template.render(
        "a{{#each list}}{{this}}{{/each}}b", context: ["list": items(3)], limits: limits)
        == "a012b")
    let error = limitError("{{#each list}}{{/each}}", ["list": items(11)], limits: limits)
    #expect(error?.limit == .iterations)
    #expect(error?.message.contains("more than 10 steps") == true)
  }

  @Test func customPartialBudget() throws {
    let limits = RenderLimits(maxPartialExpansions: 2)
    let partials = PartialDictionary(["p": "p"])
    #expect(
      try Template.render("{{> p}}{{> p}}", context: .null, partials: partials, limits: limits)
        == "pp")
    let error = limitError("{{> p}}\n{{> p}}\n {{> p}}", partials: ["p": "p"], limits: limits)
    #expect(error?.limit == .partialExpansions)
    #expect(error?.line == 3 && error?.column == 2)
  }

  @Test func customNestingBudget() throws {
    let limits = RenderLimits(maxNesting: 2)
    #expect(
      try Template.render("{{#if 1}}{{#if 1}}x{{/if}}{{/if}}", context: .null, limits: limits)
        == "x")
    let error = #expect(throws: TemplateError.self) {
      try Template.compile("{{#if 1}}{{#if 1}}\n  {{#if 1}}x{{/if}}{{/if}}{{/if}}", limits: limits)
    }
    #expect(error?.kind == .limitExceeded)
    #expect(error?.limit == .nesting)
    #expect(error?.line == 2 && error?.column == 3)
    #expect(
      error?.message
        == "blocks, else-if chains and sub-expressions nest more than 2 levels deep, "
        + "partials included (RENDER_MAX_NESTING)")
    // A template compiled with a larger budget is refused by a render with a smaller one.
    let compiled = try Template.compile("{{#if 1}}{{#if 1}}\n  {{#if 1}}x{{/if}}{{/if}}{{/if}}")
    let renderError = #expect(throws: TemplateError.self) {
      try compiled.render(.null, limits: limits)
    }
    #expect(renderError?.limit == .nesting)
    #expect(renderError?.line == 2 && renderError?.column == 3)
    // So is a partial, whoever compiled it.
    let partialError = limitError(
      "{{> p}}", partials: ["p": "{{#if 1}}{{#if 1}}{{#if 1}}x{{/if}}{{/if}}{{/if}}"],
      limits: limits)
    #expect(partialError?.limit == .nesting)
    #expect(partialError?.partial == "p")
  }

  @Test func customTimeBudget() {
    let error = limitError(
      "{{#each list}}{{this}}{{/each}}", ["list": items(1_000)],
      limits: RenderLimits(maxDuration: .nanoseconds(1)))
    #expect(error?.limit == .time)
    #expect(error?.message == "the template takes longer than 0 ms (RENDER_MAX_MILLISECONDS)")
    #expect(RenderLimits.default.message(for: .time).contains("longer than 2000 ms"))
  }

  @Test func limitErrorsBecomeDiagnostics() throws {
    let error = limitError("{{> p0}}", partials: partialBomb)
    let diagnostic = try #require(error?.diagnostic)
    #expect(diagnostic.code == "render-limit-exceeded")
    #expect(diagnostic.limit == .partialExpansions)
    #expect(diagnostic.severity == .error)
  }

  @Test func cacheRefusesWhatTheLimitsRefuse() throws {
    let cache = TemplateCache()
    let source = "{{#if 1}}{{#if 1}}{{#if 1}}x{{/if}}{{/if}}{{/if}}"
    _ = try cache.compiled(source)
    let error = #expect(throws: TemplateError.self) {
      try cache.compiled(source, limits: RenderLimits(maxNesting: 2))
    }
    #expect(error?.limit == .nesting)
    #expect(try cache.compiled(source, limits: RenderLimits(maxNesting: 3)).nesting == 3)
  }

  @Test func otherErrorsHaveNoLimit() {
    let error = #expect(throws: TemplateError.self) {
      try Template.render("{{nohelper 1}}", context: .null)
    }
    #expect(error?.kind == .render)
    #expect(error?.limit == nil)
    #expect(error?.diagnostic.limit == nil)
  }
}
