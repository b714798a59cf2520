/// A byte-pair encoding (tokeniser) that gives the same token ids as OpenAI's tiktoken.
///
/// Instances are shared and immutable: get one with ``named(_:)-swift.type.method`` or
/// ``forModel(_:)``; the vocabulary is loaded on first use, once per process.
public final class Encoding: Sendable {
  /// Which encoding this is.
  public let name: EncodingName
  /// Number of ordinary (mergeable) tokens in the vocabulary.
  public var vocabularySize: Int { vocabulary.count }
  /// Approximate memory used by the loaded vocabulary tables, in bytes.
  public var vocabularyMemory: Int { vocabulary.memoryFootprint }

  let vocabulary: Vocabulary
  let preTokenizer: any PreTokenizer
  /// Special tokens by id, for decoding only: text is never parsed for them.
  let specialTokens: [Int: String]

  init(name: EncodingName, vocabulary: Vocabulary) {
    self.name = name
    self.vocabulary = vocabulary
    switch name {
    case .cl100kBase:
      preTokenizer = Cl100kPreTokenizer()
      specialTokens = [
        100_257: "<|endoftext|>", 100_258: "<|fim_prefix|>", 100_259: "<|fim_middle|>",
        100_260: "<|fim_suffix|>", 100_276: "<|endofprompt|>",
      ]
    case .o200kBase:
      preTokenizer = O200kPreTokenizer()
      specialTokens = [199_999: "<|endoftext|>", 200_018: "<|endofprompt|>"]
    }
  }

  /// The token ids of `text`, exactly as tiktoken's `encode(text, disallowed_special=())`.
  ///
  /// Special-token strings such as `<|endoftext|>` in the text are encoded as plain text.
  public func encode(_ text: String) -> [Int] {
    encode(text, rememberingPieces: true)
  }

  /// `encode(_:)`, with or without the ``PieceCache`` (tests compare the two).
  func encode(_ text: String, rememberingPieces: Bool) -> [Int] {
    var sink = TokenArraySink()
    sink.tokens.reserveCapacity(text.utf8.count / 3 + 1)
    run(text, rememberingPieces: rememberingPieces, into: &sink)
    return sink.tokens
  }

  /// The number of tokens in `text`; the same as `encode(text).count`, without the array.
  public func count(_ text: String) -> Int {
    var sink = TokenCountSink()
    run(text, into: &sink)
    return sink.count
  }

  /// The bytes of the tokens `ids`, concatenated; ids that are not tokens give U+FFFD.
  public func decodeBytes(_ ids: [Int]) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(ids.count * 4)
    for id in ids {
      if let token = vocabulary.tokenBytes(id) {
        bytes.append(contentsOf: token)
      } else if let special = specialTokens[id] {
        bytes.append(contentsOf: special.utf8)
      } else {
        bytes.append(contentsOf: [0xEF, 0xBF, 0xBD])
      }
    }
    return bytes
  }

  /// The text of the tokens `ids`; invalid UTF-8 (a multi-byte scalar split across the end of
  /// the list, say) becomes U+FFFD, like tiktoken's `decode(ids, errors="replace")`.
  public func decode(_ ids: [Int]) -> String {
    String(decoding: decodeBytes(ids), as: UTF8.self)
  }

  private func run<Sink: TokenSink>(
    _ text: String, rememberingPieces: Bool = true, into sink: inout Sink
  ) {
    var text = text
    text.makeContiguousUTF8()
    text.utf8.withContiguousStorageIfAvailable { buffer in
      guard let base = buffer.baseAddress, buffer.count > 0 else { return }
      tabledClasses.withUnsafeBufferPointer { table in
        let reader = ScalarReader(bytes: base, count: buffer.count, classes: table.baseAddress!)
        switch preTokenizer {
        case let scanner as Cl100kPreTokenizer:
          encodePieces(reader, scanner, rememberingPieces, into: &sink)
        case let scanner as O200kPreTokenizer:
          encodePieces(reader, scanner, rememberingPieces, into: &sink)
        default:
          encodePieces(reader, preTokenizer, rememberingPieces, into: &sink)
        }
      }
    }
  }

  private func encodePieces<Scanner: PreTokenizer, Sink: TokenSink>(
    _ reader: ScalarReader, _ scanner: Scanner, _ rememberingPieces: Bool,
    into sink: inout Sink
  ) {
    var encoder = BytePairEncoder()
    let cache = PieceCache(textBytes: rememberingPieces ? reader.count : 0)
    var start = 0
    while start < reader.count {
      let end = scanner.pieceEnd(from: start, in: reader)
      let piece = reader.bytes + start
      let length = end - start
      if cache.covers(length) {
        let key = PieceCache.key(piece, length: length)
        let rank: UInt32
        if let remembered = cache.rank(key, length: length) {
          rank = remembered
        } else {
          rank = vocabulary.rank(of: piece, length: length)
          cache.remember(key, length: length, rank: rank)
        }
        if rank != Vocabulary.noRank {
          sink.append(rank)
        } else {
          encoder.merge(piece, length: length, vocabulary: vocabulary, into: &sink)
        }
      } else {
        encoder.encode(piece, length: length, vocabulary: vocabulary, into: &sink)
      }
      start = end
    }
  }
}
