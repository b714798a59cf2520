import Testing

@testable import Templating

/// `{{truncateTokens value N}}` with the caller's tokenizer: one "token" per word here.
@Suite struct TruncateTokensTests {
  struct Words: TokenTruncator {
    func truncate(_ text: String, toTokens limit: Int) -> (text: String, removed: Int) {
      let words = text.split(separator: " ", omittingEmptySubsequences: false)
      guard words.count > limit else { return (text, 0) }
      return (words.prefix(limit).joined(separator: " "), words.count - limit)
    }
  }

  @Test func aValueIsCutWithAVisibleMarker() throws {
    let long = Array(repeating: "word", count: 1_239).joined(separator: " ")
    let template = try Template.compile("{{truncateTokens text 5}}|{{truncateTokens short 5}}")
    // act
    let rendered = try template.render(
      ["text": .string(long), "short": "two words"], tokens: Words())
    // check
    #expect(rendered == "word word word word word… [truncated 1,234 tokens]|two words")
  }

  @Test func withoutATokenizerOrWithABadCountItIsARenderError() throws {
    let template = try Template.compile("{{truncateTokens text 5}}")
    let negative = try Template.compile("{{truncateTokens text -1}}")
    // act, check
    #expect(throws: TemplateError.self) { try template.render(["text": "a b"]) }
    #expect(throws: TemplateError.self) { try negative.render(["text": "a b"], tokens: Words()) }
  }

  @Test func theLinterKnowsIt() {
    let diagnostics = Linter.lint("{{truncateTokens description}}", schemaJSON: nil)
    #expect(diagnostics.map(\.code) == ["wrong-arity"])
    #expect(Linter.lint("{{truncateTokens description 10}}", schemaJSON: nil).isEmpty)
  }
}
