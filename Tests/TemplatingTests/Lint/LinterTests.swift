import Testing

@testable import Templating

private func schema(_ json: String) throws -> JSONSchema {
  try JSONSchema(JSONValue(parsing: json))
}

private func lint(
  _ template: String, schema: JSONSchema? = nil, partials: [String: String] = [:]
) -> [String] {
  Linter.lint(template, schema: schema, partials: PartialDictionary(partials)).map(\.formatted)
}

private let itemsSchema = """
  {"type": "object", "properties": {
    "items": {"type": "array", "items": {"type": "object", "properties": {
      "name": {"type": "string"}, "tags": {"type": "array", "items": {"type": "string"}}}}},
    "options": {"type": "object", "properties": {"tone": {"type": "string"}}},
    "verbose": {"type": "boolean"}
  }}
  """

@Suite struct LinterTests {
  @Test func cleanTemplateHasNoDiagnostics() throws {
    // setup
    let template = """
      # {{key}}: {{title}}
      {{#if description}}{{description}}{{/if}}
      {{#each labels as |label i|}}{{i}}. {{label}} {{@index}}{{#if @last}}.{{/if}}{{/each}}
      {{#with assignee}}{{name}} <{{email}}> {{../title}}{{/with}}
      {{#each items}}- {{name}} ({{join tags ", "}}) {{@root.key}} {{../verbose}}{{/each}}
      {{#options}}{{tone}}{{/options}}{{#verbose}}{{status}}{{/verbose}}
      {{upper (default priority "none")}} {{truncate criteria 10}} {{labels.length}}
      {{> footer}}
      """
    // act
    let result = lint(
      template, schema: try schema(itemsSchema), partials: ["footer": "{{url}} {{tracker}}"])
    // check
    #expect(result == [])
  }

  @Test func syntaxError() {
    #expect(
      lint("Hello\n{{name bar=}}") == [
        "2:12 error syntax-error Expecting 'ID', 'STRING', 'NUMBER', 'BOOLEAN', 'UNDEFINED', "
          + "'NULL', 'DATA', got '}}' (CLOSE)"
      ])
    #expect(lint("{{{{raw}}}} x {{{{/raw}}}}").first?.hasPrefix("1:1 error syntax-error") == true)
  }

  @Test func unclosedBlock() {
    #expect(
      lint("line\n  {{#if title}}\nbody") == [
        "2:3 error unclosed-block 'if' block is never closed"
      ])
  }

  @Test func mismatchedBlock() {
    #expect(
      lint("{{#if title}}x{{/each}}") == [
        "1:15 error mismatched-block if doesn't match each"
      ])
    #expect(lint("x\n{{/if}}") == ["2:1 error mismatched-block '{{/' closes no open block"])
  }

  @Test func undefinedVariable() throws {
    let result = lint(
      "{{nope}}\n{{#each items}}{{nmae}} {{name}}{{/each}}\n{{assignee.phone}} {{@index}}"
        + " {{#with options}}{{tone}}{{colour}}{{/with}} {{../x}}",
      schema: try schema(itemsSchema))
    #expect(
      result == [
        "1:1 warning unused-variable schema property 'verbose' is never used",
        "1:3 error undefined-variable 'nope' is not a built-in variable and the schema does not declare it",
        "2:18 error undefined-variable 'nmae' is not a built-in variable and the schema does not declare it",
        "3:3 error undefined-variable 'assignee.phone': 'assignee' has no member 'phone'",
        "3:22 error undefined-variable '@index' is only defined inside #each",
        "3:58 error undefined-variable 'colour' is not a built-in variable and the schema does not declare it",
        "3:78 error undefined-variable '../x' goes above the template's root",
      ])
  }

  @Test func undefinedVariableWithoutSchemaAndBlockParams() {
    #expect(
      lint("{{#each labels as |l|}}{{l}}{{l.x}}{{/each}}{{l}}") == [
        "1:31 error undefined-variable 'l.x': 'l' has no member 'x'",
        "1:47 error undefined-variable 'l' is not a built-in variable and the schema does not declare it",
      ])
  }

  @Test func unusedVariable() throws {
    let result = lint("{{#each items}}{{name}}{{/each}}", schema: try schema(itemsSchema))
    #expect(
      result == [
        "1:1 warning unused-variable schema property 'options' is never used",
        "1:1 warning unused-variable schema property 'verbose' is never used",
      ])
    #expect(lint("{{json this}}", schema: try schema(itemsSchema)) == [])
  }

  @Test func unknownHelper() {
    #expect(
      lint("a {{shout title}} {{#repeat 3}}x{{/repeat}} {{upper (shout title)}}") == [
        "1:5 error unknown-helper unknown helper 'shout'",
        "1:22 error unknown-helper unknown helper 'repeat'",
        "1:54 error unknown-helper unknown helper 'shout'",
      ])
  }

  @Test func wrongArity() {
    #expect(
      lint("{{truncate title}} {{#if title status}}x{{/if}} {{eq}} {{and title}}") == [
        "1:3 error wrong-arity 'truncate' takes 2 arguments, got 1",
        "1:23 error wrong-arity 'if' takes 1 argument, got 2",
        "1:51 error wrong-arity 'eq' takes 2 arguments, got 0",
        "1:58 error wrong-arity 'and' takes at least 2 arguments, got 1",
      ])
  }

  @Test func misusedHelper() {
    #expect(
      lint("{{if title}} {{#upper title}}x{{/upper}}") == [
        "1:3 error misused-helper 'if' is a block helper: write {{#if …}}…{{/if}}",
        "1:17 warning misused-helper 'upper' ignores its block: write {{upper …}}",
      ])
  }

  @Test func missingPartial() {
    #expect(
      lint("x\n  {{> footer}}", partials: ["header": "h"]) == [
        "2:3 error missing-partial no partial named 'footer'"
      ])
  }

  @Test func circularPartial() {
    let partials = ["a": "A {{> b}}", "b": "B {{> a}}", "self": "{{> self}}"]
    #expect(
      lint("x {{> a}}\n{{> self}}", partials: partials) == [
        "1:3 error circular-partial in partial 'b' (1:3): circular partial: a → b → a",
        "2:1 error circular-partial in partial 'self' (1:1): circular partial: self → self",
      ])
  }

  @Test func problemsInsidePartialsAreReportedAtTheCall() {
    #expect(
      lint("\n {{> p}}", partials: ["p": "{{titel}}"]) == [
        "2:2 error undefined-variable in partial 'p' (1:3): 'titel' is not a built-in variable and the schema does not declare it"
      ])
  }

  @Test func invalidSchema() throws {
    let result = Linter.lint(
      "{{anything}}",
      schemaJSON: try JSONValue(parsing: #"{"type": "object", "patternProperties": {}}"#))
    #expect(result.count == 1)
    #expect(result.first?.code == "invalid-schema")
    #expect(result.first?.line == 1 && result.first?.column == 1)
  }

  @Test func shadowedBuiltin() throws {
    let result = lint(
      "{{title}} {{extra}}",
      schema: try schema(#"{"properties": {"title": {"type": "string"}, "extra": {}}}"#))
    #expect(
      result == [
        "1:1 error shadowed-builtin schema property 'title' has the name of a built-in issue variable"
      ])
  }

  @Test func everyCodeIsCovered() {
    // The tests above cover each code; this keeps the list and the tests in step.
    #expect(DiagnosticCode.allCases.count == 15)
  }
}
