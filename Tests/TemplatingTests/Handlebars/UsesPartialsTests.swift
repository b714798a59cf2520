import Testing

@testable import Templating

/// `CompiledTemplate.usesPartials` lets the server skip loading partials; it must see every
/// partial call, however deep.
@Suite struct UsesPartialsTests {
  @Test(arguments: [
    ("{{> footer}}", true),
    ("a {{#if x}}b {{#each y}}{{> row}}{{/each}}{{/if}}", true),
    ("{{#if x}}yes{{else}}{{> fallback}}{{/if}}", true),
    ("{{#unless x}}{{else if y}}{{> deep}}{{/unless}}", true),
    ("{{title}} {{#each labels}}{{this}}{{/each}} {{!-- {{> not}} --}}", false),
    ("plain text with > and {{{raw}}}", false),
  ])
  func everyPartialCallIsSeen(_ source: String, _ expected: Bool) throws {
    #expect(try Template.compile(source).usesPartials == expected)
  }
}

extension UsesPartialsTests {
  @Test(arguments: [
    ("{{#> layout}}body{{/layout}}", true),
    ("{{#if x}}{{#> layout}}{{/layout}}{{/if}}", true),
    ("{{#*inline \"p\"}}only text{{/inline}}", false),
    ("{{#*inline \"p\"}}{{> q}}{{/inline}}", true),
  ])
  func layoutsUsePartials(_ source: String, _ expected: Bool) throws {
    #expect(try Template.compile(source).usesPartials == expected)
  }
}
