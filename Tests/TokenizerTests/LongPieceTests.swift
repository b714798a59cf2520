import Testing

@testable import Tokenizer

/// The heap-based merger for long pieces must agree with the scan that mirrors tiktoken.
@Suite struct LongPieceTests {
  @Test(arguments: EncodingName.allCases)
  func heapMergeEqualsScanMerge(_ name: EncodingName) throws {
    // setup
    let vocabulary = try Encoding.named(name).vocabulary
    var generator = SplitMix64(state: 42)
    let alphabets: [[UInt8]] = [
      Array("abcdefghijklmnopqrstuvwxyz".utf8), Array("etaoin ETAOIN".utf8),
      Array("\u{00E9}\u{4E2D}\u{1F642}!?.,".utf8), (0...255).map { UInt8($0) },
    ]
    var encoder = BytePairEncoder()
    for length in [2, 3, 5, 17, 64, 255, 256, 257, 600, 2_000] {
      for alphabet in alphabets {
        let piece = (0..<length).map { _ in
          alphabet[Int(generator.next() % UInt64(alphabet.count))]
        }
        // act
        var scanned = TokenArraySink()
        var heaped = TokenArraySink()
        piece.withUnsafeBufferPointer { buffer in
          encoder.mergeByScan(
            buffer.baseAddress!, length: length, vocabulary: vocabulary, into: &scanned)
          LongPieceMerger.merge(
            buffer.baseAddress!, length: length, vocabulary: vocabulary, into: &heaped)
        }
        // check
        #expect(scanned.tokens == heaped.tokens, "length \(length)")
      }
    }
  }

  @Test func longPieceIsNotQuadratic() throws {
    let encoding = try Encoding.named(.o200kBase)
    let text = String(repeating: "x", count: 300_000)
    let clock = ContinuousClock()
    let elapsed = clock.measure { #expect(encoding.count(text) > 0) }
    #expect(elapsed < .seconds(10))
  }
}
