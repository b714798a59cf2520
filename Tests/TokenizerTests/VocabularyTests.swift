import Crypto
import Foundation
import Testing

@testable import Tokenizer

/// The shipped vocabularies are byte-for-byte the published ones and parse completely.
@Suite struct VocabularyTests {
  @Test(arguments: [
    (EncodingName.cl100kBase, "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"),
    (EncodingName.o200kBase, "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d"),
  ])
  func resourceHashIsPublished(_ name: EncodingName, _ sha256: String) throws {
    let url = try #require(VocabularyLoader.resourceURL(name))
    let digest = SHA256.hash(data: try Data(contentsOf: url))
    #expect(digest.map { String(format: "%02x", $0) }.joined() == sha256)
  }

  @Test func sizesAreComplete() throws {
    #expect(try Encoding.named(.cl100kBase).vocabularySize == 100_256)
    #expect(try Encoding.named(.o200kBase).vocabularySize == 199_998)
  }

  @Test func parserRejectsGarbage() {
    #expect(throws: TokenizerError.self) {
      try VocabularyLoader.parse(Data("not base64! 1\n".utf8))
    }
  }

  @Test func parserAcceptsUnorderedRanks() throws {
    // Every byte as a token, listed in reverse rank order, then one merged token.
    var lines = (0..<256).reversed().map { "\(Data([UInt8($0)]).base64EncodedString()) \($0)" }
    lines.append("\(Data("ab".utf8).base64EncodedString()) 256")
    let vocabulary = try VocabularyLoader.parse(Data(lines.joined(separator: "\n").utf8))
    let encoding = Encoding(name: .cl100kBase, vocabulary: vocabulary)
    #expect(encoding.encode("abc") == [256, 99])
    #expect(vocabulary.hasMergeTable)
  }

  /// Every token of the shipped vocabularies is reached by merging its own bytes, so merges
  /// are looked up by token pair (`Vocabulary.mergeRank`).
  @Test(arguments: [EncodingName.cl100kBase, .o200kBase])
  func theShippedVocabulariesMergeByTokenPairs(_ name: EncodingName) throws {
    let vocabulary = try Encoding.named(name).vocabulary
    #expect(vocabulary.hasMergeTable)
    // A token's canonical last merge gives it back; a pair that spells it otherwise does not.
    let encoding = try Encoding.named(name)
    let hello = try #require(encoding.encode(" hello").first)
    #expect(encoding.encode(" hello").count == 1)
    let parts = encoding.encode(" hel") + encoding.encode("lo")
    if parts.count == 2, vocabulary.mergeRank(UInt32(parts[0]), UInt32(parts[1])) != .max {
      #expect(vocabulary.mergeRank(UInt32(parts[0]), UInt32(parts[1])) == UInt32(hello))
    }
    #expect(vocabulary.mergeRank(UInt32(hello), UInt32(hello)) != UInt32(hello))
  }

  /// The table built in rank order holds each token's canonical split: the last merge of its
  /// own bytes merged by bytes, as tiktoken merges them.
  @Test(arguments: [EncodingName.cl100kBase, .o200kBase])
  func theMergeTableIsThatOfMergingByBytes(_ name: EncodingName) throws {
    let data = try Data(contentsOf: try #require(VocabularyLoader.resourceURL(name)))
    let byTokens = try VocabularyLoader.parse(data)
    let byBytes = try VocabularyLoader.parse(data, mergeTable: false)
    #expect(byTokens.hasMergeTable && !byBytes.hasMergeTable)
    var encoder = BytePairEncoder()
    var wrong: [Int] = []
    for rank in 0..<byBytes.count {
      guard let token = byBytes.tokenBytes(rank), token.count >= 2 else { continue }
      var recorder = LastMerge()
      encoder.mergeByScan(
        token.baseAddress!, length: token.count, vocabulary: byBytes, into: &recorder)
      guard recorder.emitted == [UInt32(rank)], let (left, right) = recorder.last,
        byTokens.mergeRank(left, right) == UInt32(rank)
      else {
        wrong.append(rank)
        continue
      }
    }
    #expect(wrong.isEmpty, "\(wrong.prefix(10))")
  }

  /// Every token is found by its bytes, the short ones through the packed table, and byte
  /// ranges that are no token, one byte off from a token, are not: the packed word with the
  /// length stands for exactly the bytes.
  @Test(arguments: [EncodingName.cl100kBase, .o200kBase])
  func everyTokenIsFoundByItsBytesAndNothingElseIs(_ name: EncodingName) throws {
    let vocabulary = try Encoding.named(name).vocabulary
    var wrong: [Int] = []
    var falseHits: [Int] = []
    for rank in 0..<vocabulary.count {
      guard let token = vocabulary.tokenBytes(rank), token.count >= 2 else { continue }
      if vocabulary.rank(of: token.baseAddress!, length: token.count) != UInt32(rank) {
        wrong.append(rank)
      }
      // The same bytes with each one changed: found only if that is a token too.
      var changed = Array(token)
      for index in changed.indices where rank % 7 == 0 {
        changed[index] ^= 0x5A
        let found = changed.withUnsafeBufferPointer {
          vocabulary.rank(of: $0.baseAddress!, length: $0.count)
        }
        let isThatToken = vocabulary.tokenBytes(Int(found)).map { Array($0) == changed }
        if found != Vocabulary.noRank && isThatToken != true {
          falseHits.append(rank)
        }
        changed[index] ^= 0x5A
      }
    }
    #expect(wrong.isEmpty, "\(wrong.prefix(10))")
    #expect(falseHits.isEmpty, "\(falseHits.prefix(10))")
  }

  private struct LastMerge: TokenSink {
    var emitted: [UInt32] = []
    var last: (UInt32, UInt32)?
    mutating func append(_ rank: UInt32) { emitted.append(rank) }
    mutating func merged(_ left: UInt32, _ right: UInt32, into token: UInt32) {
      last = (left, right)
    }
  }

  /// A token its own bytes cannot reach: no table, and merging by bytes gives the same tokens.
  @Test func aTokenItsBytesCannotReachKeepsToBytes() throws {
    var lines = (0..<256).map { "\(Data([UInt8($0)]).base64EncodedString()) \($0)" }
    lines.append("\(Data("abc".utf8).base64EncodedString()) 256")
    let vocabulary = try VocabularyLoader.parse(Data(lines.joined(separator: "\n").utf8))
    #expect(!vocabulary.hasMergeTable)
    let encoding = Encoding(name: .cl100kBase, vocabulary: vocabulary)
    #expect(encoding.encode("abc") == [256])
    #expect(encoding.encode("abcd") == [97, 98, 99, 100])
  }
}
