import Testing

@testable import Tokenizer

/// Every scalar of planes 0–3 and the start of plane 14, in contexts that expose its character
/// class (letter, upper/lower group, mark, number, whitespace), block by block against tiktoken:
/// catches any difference between Swift's Unicode tables and the Rust regex crate's.
@Suite struct UnicodeSweepTests {
  static func text(first: UInt32, last: UInt32) -> String {
    var text = ""
    for value in first..<last {
      guard let scalar = Unicode.Scalar(value) else { continue }
      let c = String(Character(scalar))
      text += "a\(c)b \(c)C\(c)1\(c).\(c)'s\(c)\n"
    }
    return text
  }

  @Test(arguments: EncodingName.allCases)
  func everyScalarMatchesTiktoken(_ name: EncodingName) throws {
    let encoding = try Encoding.named(name)
    var failures: [String] = []
    for block in Fixtures.sweep.blocks {
      let expected = name == .cl100kBase ? block.cl100kBase : block.o200kBase
      let ids = encoding.encode(Self.text(first: block.first, last: block.last))
      if UInt64(ids.count) != expected[0] || checksum(ids) != expected[1] {
        failures.append(String(block.first, radix: 16))
      }
    }
    #expect(Fixtures.sweep.blocks.count > 1_000)
    #expect(failures.isEmpty, "\(failures.count) blocks differ, first: \(failures.prefix(20))")
  }
}
