/// The pre-tokeniser of `cl100k_base`, equivalent to tiktoken's pattern
/// `'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|`
/// `\s++$|\s*[\r\n]|\s+(?!\S)|\s`, alternatives tried in order at each position.
struct Cl100kPreTokenizer: PreTokenizer {
  @inline(__always)
  func pieceEnd(from start: Int, in reader: ScalarReader) -> Int {
    asciiPieceEnd(from: start, in: reader) ?? scalarPieceEnd(from: start, in: reader)
  }

  /// The general scanner, scalar by scalar. Kept out of line: inlined into the fast path's
  /// loop, it made ASCII text about 30 % slower (measured on 1 MB of Markdown and code).
  @inline(never)
  func scalarPieceEnd(from start: Int, in reader: ScalarReader) -> Int {
    let (first, firstLength) = reader.read(start)
    let next = start + firstLength
    // '(?i:[sdmt]|ll|ve|re)
    let contraction = Contraction.length(reader, at: start)
    if contraction > 0 { return start + contraction }
    // [^\r\n\p{L}\p{N}]?+\p{L}++
    if first.isLetter {
      return reader.runEnd(from: next) { $0.isLetter }
    }
    if first.isWordPrefix && next < reader.count && reader.read(next).0.isLetter {
      return reader.runEnd(from: next) { $0.isLetter }
    }
    // \p{N}{1,3}+
    if first.isNumber {
      var end = next
      for _ in 0..<2 {
        guard end < reader.count else { break }
        let (flags, length) = reader.read(end)
        guard flags.isNumber else { break }
        end += length
      }
      return end
    }
    // ' ?[^\s\p{L}\p{N}]++[\r\n]*+'
    var punctuationStart = -1
    if first.isPunctuation {
      punctuationStart = start
    } else if reader.bytes[start] == 0x20 && next < reader.count
      && reader.read(next).0.isPunctuation
    {
      punctuationStart = next
    }
    if punctuationStart >= 0 {
      var end = reader.runEnd(from: punctuationStart) { $0.isPunctuation }
      while end < reader.count && (reader.bytes[end] == 0x0D || reader.bytes[end] == 0x0A) {
        end += 1
      }
      return end
    }
    // Whitespace from here on.
    let run = reader.whitespaceRun(from: start)
    // \s++$
    if run.end == reader.count { return run.end }
    // \s*[\r\n]
    if let newlineEnd = run.newlineEnd { return newlineEnd }
    // \s+(?!\S)
    if run.lastStart > start { return run.lastStart }
    // \s
    return next
  }
}
