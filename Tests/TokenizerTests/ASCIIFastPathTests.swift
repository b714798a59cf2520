import Testing

@testable import Tokenizer

/// The pre-tokenisers decide most pieces of ASCII text on a fast path and hand the rest to the
/// scalar scanner. Both must split any text into the same pieces as the scalar scanner alone,
/// above all where ASCII meets a scalar that could continue a run (an accented letter after a
/// word, U+00A0 after blanks, a dash after punctuation, a combining mark, `ſ` in a contraction).
@Suite struct ASCIIFastPathTests {
  /// Mostly ASCII, with every class of scalar the patterns tell apart at the edges of runs.
  static let alphabet: [String] = [
    "a", "z", "s", "t", "m", "d", "l", "v", "e", "r", "A", "Z", "S", "L", "0", "9", " ", "  ",
    "\t", "\n", "\r", "\u{0B}", "\u{0C}", "'", "/", ".", "(", "-", "_", "\u{00}", "\u{7F}",
    "\u{1F}", "\u{00E9}", "\u{00C9}", "\u{01C5}", "\u{02B0}", "\u{0301}", "\u{00A0}", "\u{2014}",
    "\u{017F}", "\u{0663}", "\u{00BD}", "\u{4E2D}", "\u{1F642}", "\u{0085}", "\u{3000}",
  ]

  static func texts(count: Int, seed: UInt64) -> [String] {
    var generator = SplitMix64(state: seed)
    return (0..<count).map { _ in
      let length = 1 + Int(generator.next() % 24)
      var text = ""
      for _ in 0..<length {
        text += alphabet[Int(generator.next() % UInt64(alphabet.count))]
      }
      return text
    }
  }

  static func pieces(_ text: String, _ pieceEnd: (Int, ScalarReader) -> Int) -> [Int] {
    var text = text
    text.makeContiguousUTF8()
    return text.utf8.withContiguousStorageIfAvailable { buffer in
      tabledClasses.withUnsafeBufferPointer { table in
        let reader = ScalarReader(
          bytes: buffer.baseAddress!, count: buffer.count, classes: table.baseAddress!)
        var ends: [Int] = []
        var start = 0
        while start < reader.count {
          start = pieceEnd(start, reader)
          ends.append(start)
        }
        return ends
      }
    }!
  }

  @Test func o200kSplitsLikeTheScalarScanner() {
    Self.checkSplitsLikeTheScalarScanner(O200kPreTokenizer(), seed: 200)
  }

  @Test func cl100kSplitsLikeTheScalarScanner() {
    Self.checkSplitsLikeTheScalarScanner(Cl100kPreTokenizer(), seed: 100)
  }

  /// 50,000 texts split by the whole scanner and by the scalar scanner alone; enough of their
  /// pieces decided on the fast path for the comparison to mean something.
  static func checkSplitsLikeTheScalarScanner(
    _ scanner: some FastPathScanner, seed: UInt64,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    // setup
    var mismatches: [String] = []
    var decidedByASCII = 0
    // act
    for text in texts(count: 50_000, seed: seed) {
      let fast = pieces(text) { scanner.pieceEnd(from: $0, in: $1) }
      let scalar = pieces(text) { scanner.scalarPieceEnd(from: $0, in: $1) }
      if fast != scalar { mismatches.append(text.debugDescription) }
      _ = pieces(text) { start, reader in
        if scanner.asciiPieceEnd(from: start, in: reader) != nil { decidedByASCII += 1 }
        return scanner.scalarPieceEnd(from: start, in: reader)
      }
    }
    // check
    #expect(
      mismatches.isEmpty, "\(mismatches.count) texts split differently: \(mismatches.prefix(5))",
      sourceLocation: sourceLocation)
    #expect(
      decidedByASCII > 100_000, "the fast path decided too few pieces to be tested",
      sourceLocation: sourceLocation)
  }

  @Test(arguments: [
    ("caf\u{00E9}", [5]), (" na\u{00EF}ve", [7]), ("ab\u{0301}c", [5]), ("  \u{00A0}x", [2, 5]),
    ("--\u{2014}", [5]), ("it'\u{017F}", [5]), ("12\u{0663}", [4]), ("Hello world", [5, 11]),
  ])
  func o200kHandsOverWhereAScalarContinuesTheRun(_ text: String, _ ends: [Int]) {
    let scanner = O200kPreTokenizer()
    #expect(Self.pieces(text) { scanner.pieceEnd(from: $0, in: $1) } == ends)
  }
}

/// A pre-tokeniser with an ASCII fast path in front of its scalar scanner (both have one).
protocol FastPathScanner: PreTokenizer {
  func asciiPieceEnd(from start: Int, in reader: ScalarReader) -> Int?
  func scalarPieceEnd(from start: Int, in reader: ScalarReader) -> Int
}

extension O200kPreTokenizer: FastPathScanner {}
extension Cl100kPreTokenizer: FastPathScanner {}
