import Testing

@testable import Templating

private func json(_ text: String) throws -> JSONValue { try JSONValue(parsing: text) }

private func render(_ template: String, _ data: String = "{}", partials: [String: String] = [:])
  throws -> String
{
  try Template.render(template, context: try json(data), partials: PartialDictionary(partials))
}

/// Partial blocks and inline partials beyond the differential fixtures: where errors point,
/// what is refused, and the limits.
@Suite struct LayoutTests {
  @Test func anErrorInABlockPointsIntoTheTemplateThatWroteIt() {
    let error = #expect(throws: TemplateError.self) {
      try render(
        "line 1\n{{#> layout}}\n  {{nohelper 1}}\n{{/layout}}",
        partials: ["layout": "<{{> @partial-block}}>"])
    }
    #expect(error?.partial == nil)
    #expect(error?.line == 3 && error?.column == 3)
  }

  @Test func anErrorInAnInlinePartialPointsToItsDefinition() {
    let error = #expect(throws: TemplateError.self) {
      try render(
        "{{#*inline \"p\"}}\n {{nohelper 1}}{{/inline}}{{> q}}", partials: ["q": "q: {{> p}}"])
    }
    #expect(error?.partial == nil)
    #expect(error?.line == 2 && error?.column == 2)
  }

  @Test func anErrorInTheLayoutNamesTheLayout() {
    let error = #expect(throws: TemplateError.self) {
      try render("{{#> layout}}x{{/layout}}", partials: ["layout": "a\n {{nohelper 1}}"])
    }
    #expect(error?.partial == "layout")
    #expect(error?.line == 2 && error?.column == 2)
  }

  @Test func runawayInlineRecursionStops() {
    let error = #expect(throws: TemplateError.self) {
      try render("{{#*inline \"r\"}}r{{> r}}{{/inline}}{{> r}}")
    }
    #expect(error?.kind == .circularPartial)
    #expect(error?.message.contains("r → r") == true)
  }

  @Test func boundedInlineRecursionRenders() throws {
    let template =
      "{{#*inline \"node\"}}{{name}}({{#each kids}}{{> node}}{{/each}}){{/inline}}{{> node}}"
    let data = #"{"name": "root", "kids": [{"name": "a", "kids": [{"name": "b", "kids": []}]}]}"#
    #expect(try render(template, data) == "root(a(b()))")
  }

  @Test func partialBlocksCountAsInclusions() {
    let limits = RenderLimits(maxPartialExpansions: 3)
    let error = #expect(throws: TemplateError.self) {
      try Template.render(
        "{{#each l}}{{#> p}}{{/p}}{{/each}}", context: try json(#"{"l": [1, 2]}"#),
        partials: PartialDictionary(["p": "{{> @partial-block}}"]), limits: limits)
    }
    #expect(error?.limit == .partialExpansions)
  }

  @Test(arguments: [
    ("{{json @partial-block}}", "@partial-block is included"),
    ("{{lookup @partial-block \"x\"}}", "@partial-block is included"),
    ("{{helperMissing}}", "internal hook"),
    ("{{#blockHelperMissing}}{{/blockHelperMissing}}", "internal hook"),
  ])
  func refusedAtRender(_ layout: String, _ message: String) {
    let error = #expect(throws: TemplateError.self) {
      try render("{{#> l}}B{{/l}}", partials: ["l": layout])
    }
    #expect(error?.kind == .render)
    #expect(error?.message.contains(message) == true)
  }

  @Test(arguments: [
    ("{{#*decorate \"x\"}}{{/decorate}}", TemplateError.Kind.unsupported),
    ("{{#*inline name}}{{/inline}}", .unsupported),
    ("{{#*inline}}{{/inline}}", .unsupported),
    ("{{* decorate}}", .unsupported),
    ("{{#> p a b}}{{/p}}", .syntax),
    ("{{#> p}}x{{else}}y{{/p}}", .syntax),
    ("{{#> p}}x{{/q}}", .mismatchedBlock),
    ("{{#> p}}x", .unclosedBlock),
    ("{{#*inline \"p\"}}x{{else}}y{{/inline}}", .syntax),
  ])
  func refusedAtCompile(_ template: String, _ kind: TemplateError.Kind) {
    let error = #expect(throws: TemplateError.self) { try Template.compile(template) }
    #expect(error?.kind == kind)
  }

  @Test func theCacheKeepsLayoutsApart() throws {
    // The same layout with two blocks, rendered through one cache, keeps each block its own.
    let cache = TemplateCache()
    let partials = PartialDictionary(["l": "<{{> @partial-block}}>"], cache: cache)
    let first = try cache.compiled("{{#> l}}one{{/l}}", limits: .default)
    let second = try cache.compiled("{{#> l}}two{{/l}}", limits: .default)
    #expect(try first.render(.null, partials: partials) == "<one>")
    #expect(try second.render(.null, partials: partials) == "<two>")
  }
}
