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
  }
}
