import Testing

@testable import Tokenizer

/// The piece cache of long texts must give exactly the tokens of the look-ups it saves.
@Suite struct PieceCacheTests {
  @Test func everyPieceOfThreeToEightBytesHasItsOwnKey() {
    // setup: pieces that differ in one byte, at every position, for every covered length
    var generator = SplitMix64(state: 8)
    var collisions: [String] = []
    // act
    for length in PieceCache.shortest...PieceCache.longest {
      for _ in 0..<2_000 {
        var piece = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let position = Int(generator.next() % UInt64(length))
        let original = piece.withUnsafeBufferPointer {
          PieceCache.key($0.baseAddress!, length: length)
        }
        piece[position] &+= 1 + UInt8(truncatingIfNeeded: generator.next() % 255)
        let changed = piece.withUnsafeBufferPointer {
          PieceCache.key($0.baseAddress!, length: length)
        }
        if original == changed { collisions.append("\(length) bytes, byte \(position)") }
      }
    }
    // check
    #expect(collisions.isEmpty, "\(collisions.prefix(5))")
  }

  @Test func aCacheHitGivesTheRememberedAnswerAndOnlyForTheSamePiece() {
    // setup
    let cache = PieceCache(textBytes: 100_000)
    let piece: [UInt8] = Array(" handler".utf8)
    let key = piece.withUnsafeBufferPointer { PieceCache.key($0.baseAddress!, length: 8) }
    // act
    let before = cache.rank(key, length: 8)
    cache.remember(key, length: 8, rank: 12_345)
    let after = cache.rank(key, length: 8)
    let otherLength = cache.rank(key, length: 7)
    let covered = (2...9).map { cache.covers($0) }
    let shortTextCovers = PieceCache(textBytes: PieceCache.shortestText - 1).covers(5)
    // check
    #expect(before == nil)
    #expect(after == 12_345)
    #expect(otherLength == nil)
    #expect(covered == [false, true, true, true, true, true, true, false])
    #expect(!shortTextCovers)
  }

  /// Long texts repeating a mixed alphabet (so that pieces recur, collide in the table and
  /// displace each other), and the whole tiktoken corpus as one text: the same ids with the
  /// cache as without it, whose ids the tiktoken fixtures check.
  @Test(arguments: EncodingName.allCases)
  func longTextsGiveTheSameIdsWithTheCache(_ name: EncodingName) throws {
    // setup
    let encoding = try Encoding.named(name)
    var texts = [Fixtures.corpus.map(\.text).joined(separator: "\n")]
    var generator = SplitMix64(state: 33)
    let words = RandomStringTests.strings(Fixtures.random)
    for _ in 0..<4 {
      var text = ""
      while text.utf8.count < 60_000 {
        text += words[Int(generator.next() % UInt64(words.count))] + " "
      }
      texts.append(text)
    }
    // act
    let mismatches = texts.indices.filter { index in
      encoding.encode(texts[index], rememberingPieces: true)
        != encoding.encode(texts[index], rememberingPieces: false)
    }
    // check
    #expect(texts.allSatisfy { $0.utf8.count >= PieceCache.shortestText })
    #expect(mismatches.isEmpty, "texts \(mismatches) were encoded differently")
  }
}
