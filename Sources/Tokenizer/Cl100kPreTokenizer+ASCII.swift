extension Cl100kPreTokenizer {
  /// The end of the piece at `start` when ASCII bytes alone decide it, or nil when a scalar
  /// beyond ASCII could change it (the general scanner then reads the piece's scalars): a run
  /// stopped by a byte of 0x80 or above is not decided (an accented letter continues a word,
  /// U+00A0 a blank run, a dash punctuation).
  @inline(__always)
  func asciiPieceEnd(from start: Int, in reader: ScalarReader) -> Int? {
    let first = reader.bytes[start]
    guard first < 0x80 else { return nil }
    // '(?i:[sdmt]|ll|ve|re)
    let contraction = Contraction.length(reader, at: start)
    if contraction > 0 { return start + contraction }
    let firstClass = reader.classes[Int(first)]
    // [^\r\n\p{L}\p{N}]?+\p{L}++
    guard let wordStart = reader.asciiWordStart(at: start, first: firstClass) else { return nil }
    if (reader.bytes[wordStart] | 0x20) &- 0x61 < 26 {
      var end = wordStart + 1
      while end < reader.count && (reader.bytes[end] | 0x20) &- 0x61 < 26 { end += 1 }
      guard end == reader.count || reader.bytes[end] < 0x80 else { return nil }
      return end
    }
    // \p{N}{1,3}+
    if firstClass.isNumber { return reader.asciiDigitGroupEnd(from: start) }
    // ' ?[^\s\p{L}\p{N}]++[\r\n]*+'
    if let runStart = reader.asciiPunctuationRunStart(at: start, first: firstClass) {
      return reader.asciiPunctuationPieceEnd(runFrom: runStart, slashes: false)
    }
    // Whitespace: `\s++$`, `\s*[\r\n]`, `\s+(?!\S)`, `\s`.
    guard let run = reader.asciiWhitespaceRun(from: start) else { return nil }
    if run.end == reader.count { return run.end }
    if let newlineEnd = run.newlineEnd { return newlineEnd }
    if run.lastStart > start { return run.lastStart }
    return start + 1
  }
}
