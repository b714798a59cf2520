import Testing

@testable import Tokenizer

@Suite struct ModelRegistryTests {
  @Test(arguments: [
    ("gpt-3.5-turbo", EncodingName.cl100kBase),
    ("gpt-3.5-turbo-0125", .cl100kBase),
    ("gpt-4", .cl100kBase),
    ("gpt-4-0613", .cl100kBase),
    ("gpt-4-turbo", .cl100kBase),
    ("gpt-4-turbo-2024-04-09", .cl100kBase),
    ("gpt-4-32k", .cl100kBase),
    ("text-embedding-3-small", .cl100kBase),
    ("ft:gpt-3.5-turbo:org::abc", .cl100kBase),
    ("gpt-4o", .o200kBase),
    ("gpt-4o-2024-08-06", .o200kBase),
    ("gpt-4o-mini", .o200kBase),
    ("gpt-4o-mini-2024-07-18", .o200kBase),
    ("chatgpt-4o-latest", .o200kBase),
    ("ft:gpt-4o-mini:org::abc", .o200kBase),
    ("gpt-4.1", .o200kBase),
    ("gpt-4.1-mini", .o200kBase),
    ("gpt-4.1-2025-04-14", .o200kBase),
    ("gpt-4.5-preview", .o200kBase),
    ("o1", .o200kBase),
    ("o1-mini", .o200kBase),
    ("o1-2024-12-17", .o200kBase),
    ("o3", .o200kBase),
    ("o3-mini", .o200kBase),
    ("o4-mini", .o200kBase),
    ("o4-mini-2025-04-16", .o200kBase),
    ("gpt-5", .o200kBase),
    ("gpt-5-mini", .o200kBase),
    ("gpt-5-2025-08-07", .o200kBase),
  ])
  func mapsModelToEncoding(_ model: String, _ expected: EncodingName) throws {
    #expect(try ModelRegistry.encodingName(forModel: model) == expected)
    #expect(try Encoding.forModel(model).name == expected)
  }

  @Test func unknownModelIsAClearError() {
    #expect(throws: TokenizerError.unknownModel("claude-3")) {
      try Encoding.forModel("claude-3")
    }
    let message = TokenizerError.unknownModel("claude-3").description
    #expect(message.contains("claude-3"))
    #expect(message.contains("gpt-4o-*"))
    #expect(message.contains("o200k_base"))
  }
}
