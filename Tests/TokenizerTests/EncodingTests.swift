import Testing

@testable import Tokenizer

@Suite struct EncodingTests {
  @Test func knownExamples() throws {
    let cl100k = try Encoding.named(.cl100kBase)
    let o200k = try Encoding.named(.o200kBase)
    #expect(cl100k.encode("hello world") == [15339, 1917])
    #expect(o200k.encode("hello world") == [24912, 2375])
    #expect(cl100k.count("") == 0)
    #expect(cl100k.encode("") == [])
  }

  @Test func specialTokenTextIsPlainText() throws {
    let encoding = try Encoding.named(.cl100kBase)
    let ids = encoding.encode("<|endoftext|>")
    #expect(!ids.contains(100_257))
    #expect(ids.count > 1)
    #expect(encoding.decode(ids) == "<|endoftext|>")
  }

  @Test func decodeIsLenient() throws {
    let encoding = try Encoding.named(.o200kBase)
    let ids = encoding.encode("🙂")
    // Half of a multi-byte scalar decodes to U+FFFD instead of failing.
    let partial = encoding.decode(Array(ids.prefix(1)))
    #expect(ids.count == 1 || partial.contains("\u{FFFD}"))
    #expect(encoding.decode([-1, 99_999_999]) == "\u{FFFD}\u{FFFD}")
    #expect(encoding.decode([199_999]) == "<|endoftext|>")
  }

  @Test func sharedInstances() throws {
    #expect(try Encoding.named(.o200kBase) === Encoding.named("o200k_base"))
    #expect(throws: TokenizerError.unknownEncoding("p50k")) { try Encoding.named("p50k") }
  }

  @Test func concurrentUseGivesSameResult() async throws {
    let encoding = try Encoding.named(.o200kBase)
    let text = String(repeating: "Concurrent tokenisation, déjà vu! 12345 ", count: 200)
    let expected = encoding.encode(text)
    try await withThrowingTaskGroup(of: [Int].self) { group in
      for _ in 0..<8 { group.addTask { encoding.encode(text) } }
      for try await ids in group { #expect(ids == expected) }
    }
  }
}
