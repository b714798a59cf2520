import Testing

@testable import Tokenizer

/// The heap merger must agree with the scan that mirrors tiktoken, on pieces of every length.
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
    for length in [2, 3, 5, 7, 8, 9, 17, 64, 72, 255, 256, 257, 600, 2_000] {
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
          encoder.mergeByHeap(
            buffer.baseAddress!, length: length, vocabulary: vocabulary, into: &heaped)
        }
        // check
        #expect(scanned.tokens == heaped.tokens, "length \(length)")
      }
    }
  }

  /// Slices of real sentences, where merges go many levels deep (CJK, Cyrillic, Arabic).
  @Test(arguments: EncodingName.allCases)
  func heapMergeEqualsScanMergeOnText(_ name: EncodingName) throws {
    let vocabulary = try Encoding.named(name).vocabulary
    let text = Array(
      """
      我们明天上午十点在三楼会议室讨论新版本的发布计划。東京都は月曜日、新しい防災計画を発表した。\
      서울의 지하철은 매일 수백만 명의 승객을 실어 나른다。Разработчики обновили документацию \
      и исправили ошибку в модуле авторизации. تمت إضافة اختبارات جديدة للتحقق من صحة البيانات
      """.utf8)
    var generator = SplitMix64(state: 7)
    var encoder = BytePairEncoder()
    for _ in 0..<2_000 {
      let start = Int(generator.next() % UInt64(text.count - 2))
      let length = 2 + Int(generator.next() % UInt64(min(120, text.count - start - 1)))
      var scanned = TokenArraySink()
      var heaped = TokenArraySink()
      text[start..<(start + length)].withUnsafeBufferPointer { buffer in
        encoder.mergeByScan(
          buffer.baseAddress!, length: length, vocabulary: vocabulary, into: &scanned)
        encoder.mergeByHeap(
          buffer.baseAddress!, length: length, vocabulary: vocabulary, into: &heaped)
      }
      #expect(scanned.tokens == heaped.tokens, "bytes \(start) ..< \(start + length)")
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
