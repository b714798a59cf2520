import Testing

@testable import Templating

private func lint(
  _ template: String, schema: String? = nil, partials: [String: String] = [:]
) throws -> [String] {
  let compiled = try schema.map { try JSONSchema(JSONValue(parsing: $0)) }
  return Linter.lint(template, schema: compiled, partials: PartialDictionary(partials))
    .map(\.formatted)
}

private let base = """
  Context: {{key}}
  {{#> instructions}}Follow the conventions.{{/instructions}}
  {{> @partial-block}}
  {{#if @partial-block}}(task given){{/if}}
  """

/// The linter and layouts: partial blocks, `@partial-block` and inline partials.
@Suite struct LayoutLintTests {
  @Test func aLayoutOnItsOwnIsClean() throws {
    // `{{> @partial-block}}` is the layout's slot, and `instructions` a section with a default.
    #expect(try lint(base, partials: ["instructions": "Be brief."]) == [])
  }

  @Test func aPartialBlockNamingNoTemplateIsAWarning() throws {
    #expect(
      try lint("{{#> nowhere}}fallback {{title}}{{/nowhere}}") == [
        "1:1 warning missing-partial no partial named 'nowhere': its block renders in its place"
      ])
  }

  @Test func theBlockIsCheckedWhereItWasWritten() throws {
    let schema = #"{"type": "object", "properties": {"goal": {"type": "string"}}}"#
    let template = "{{#> base}}\n  Do {{goal}} and {{gaol}}.\n{{/base}}"
    #expect(
      try lint(template, schema: schema, partials: ["base": base, "instructions": "x"]) == [
        "2:21 error undefined-variable 'gaol' is not a built-in variable and the schema does not declare it"
      ])
  }

  @Test func aBlockItsPartialNeverRendersIsStillChecked() throws {
    #expect(
      try lint("{{#> plain}}{{titel}}{{/plain}}", partials: ["plain": "no slot"]) == [
        "1:15 error undefined-variable 'titel' is not a built-in variable and the schema does not declare it"
      ])
  }

  @Test func theBlockSeesTheLayoutsContext() throws {
    let schema = """
      {"type": "object", "properties": {"steps": {"type": "array", "items": {
        "type": "object", "properties": {"text": {"type": "string"}}}}}}
      """
    let partials = ["list": "{{#each steps}}- {{> @partial-block}}\n{{/each}}"]
    #expect(
      try lint("{{#> list}}{{text}} {{@index}}{{/list}}", schema: schema, partials: partials) == [])
  }

  @Test func inlinePartialsAreDefinedNames() throws {
    let template = """
      {{#*inline "step"}}Step: {{title}}{{/inline}}
      {{> step}}{{> later}}
      {{#*inline "later"}}defined after its use{{/inline}}
      """
    #expect(try lint(template) == [])
  }

  @Test func variablesInInlinePartialsAreChecked() throws {
    // Included or not, an inline partial's body is checked.
    #expect(
      try lint(
        "{{#*inline \"a\"}}{{titel}}{{/inline}}{{#*inline \"b\"}}{{stauts}}{{/inline}}{{> a}}")
        == [
          "1:19 error undefined-variable 'titel' is not a built-in variable and the schema does not declare it",
          "1:55 error undefined-variable 'stauts' is not a built-in variable and the schema does not declare it",
        ])
  }

  @Test func aBlocksInlinePartialsReachItsLayout() throws {
    let template = "{{#> page}}{{#*inline \"title\"}}{{key}}{{/inline}}body{{/page}}"
    #expect(try lint(template, partials: ["page": "# {{> title}}\n{{> @partial-block}}"]) == [])
  }

  @Test func anInlinePartialIsScopedToItsBlock() throws {
    #expect(
      try lint("{{#if title}}{{#*inline \"p\"}}x{{/inline}}{{/if}}{{> p}}") == [
        "1:49 error missing-partial no partial named 'p'"
      ])
  }

  @Test func cyclesThroughPartialBlocksAreReported() throws {
    let partials = ["a": "A{{#> b}}in a{{/b}}", "b": "B{{#> a}}in b{{/a}}"]
    #expect(
      try lint("{{#> a}}main{{/a}}", partials: partials) == [
        "1:1 error circular-partial in partial 'b' (1:2): circular partial: a → b → a"
      ])
  }

  @Test func recursiveInlinePartialsAreReported() throws {
    #expect(
      try lint("{{#*inline \"r\"}}({{> r}}){{/inline}}{{> r}}") == [
        "1:18 error circular-partial circular partial: r → r"
      ])
  }

  @Test func nestedLayoutsAreNotCycles() throws {
    let partials = [
      "outer": "<{{> @partial-block}}>", "inner": "{{#> outer}}[{{> @partial-block}}]{{/outer}}",
    ]
    #expect(try lint("{{#> inner}}{{title}}{{/inner}}", partials: partials) == [])
  }
}
