import Testing

@testable import Tokenizer

/// Every string of the differential corpus must give tiktoken's ids exactly, and round-trip.
@Suite struct CorpusTests {
  @Test(arguments: EncodingName.allCases)
  func idsMatchTiktoken(_ name: EncodingName) throws {
    // setup
    let encoding = try Encoding.named(name)
    let corpus = Fixtures.corpus
    #expect(corpus.count >= 2_000)
    // act
    var failures: [String] = []
    for item in corpus {
      let expected = name == .cl100kBase ? item.cl100kBase : item.o200kBase
      let actual = encoding.encode(item.text)
      if actual != expected {
        failures.append(
          "[\(item.category)] \(item.text.debugDescription): \(actual) != \(expected)")
      }
      if encoding.count(item.text) != expected.count {
        failures.append("[\(item.category)] count differs for \(item.text.debugDescription)")
      }
    }
    // check
    #expect(failures.isEmpty, "\(failures.count) mismatches, first: \(failures.prefix(10))")
  }

  @Test(arguments: EncodingName.allCases)
  func decodeRoundTrips(_ name: EncodingName) throws {
    let encoding = try Encoding.named(name)
    let failures = Fixtures.corpus.filter { encoding.decode(encoding.encode($0.text)) != $0.text }
    #expect(failures.isEmpty, "round trip failed for \(failures.prefix(5).map(\.text))")
  }
}
