import Testing

@testable import Tokenizer

/// Property-style check: seeded random strings over a mixed alphabet (letters of several
/// scripts and cases, marks, digits, whitespace and newlines, contractions, punctuation, emoji)
/// against tiktoken's counts and id checksums recorded in `random.json`.
@Suite struct RandomStringTests {
  static func strings(_ fixture: Fixtures.RandomFixture) -> [String] {
    var generator = SplitMix64(state: fixture.seed)
    let alphabetCount = UInt64(fixture.alphabet.count)
    return fixture.cases.map { _ in
      let length = 1 + generator.next() % fixture.maxLength
      var text = ""
      for _ in 0..<length {
        text += fixture.alphabet[Int(generator.next() % alphabetCount)]
      }
      return text
    }
  }

  @Test(arguments: EncodingName.allCases)
  func countsMatchTiktoken(_ name: EncodingName) throws {
    // setup
    let encoding = try Encoding.named(name)
    let fixture = Fixtures.random
    let texts = Self.strings(fixture)
    // act
    var failures: [String] = []
    for (text, expectation) in zip(texts, fixture.cases) {
      let expected = name == .cl100kBase ? expectation.cl100kBase : expectation.o200kBase
      let ids = encoding.encode(text)
      if UInt64(encoding.count(text)) != expected[0] || checksum(ids) != expected[1] {
        failures.append("\(text.debugDescription): \(ids.count) tokens, expected \(expected[0])")
      }
      if encoding.decode(ids) != text {
        failures.append("round trip of \(text.debugDescription)")
      }
    }
    // check
    #expect(texts.count == 3_000)
    #expect(failures.isEmpty, "\(failures.count) mismatches, first: \(failures.prefix(10))")
  }
}
