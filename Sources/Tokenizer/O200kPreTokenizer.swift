/// The pre-tokeniser of `o200k_base`, equivalent to tiktoken's pattern, alternatives in order:
///
/// 1. `[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?`
/// 2. `[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?`
/// 3. `\p{N}{1,3}`
/// 4. ` ?[^\s\p{L}\p{N}]+[\r\n/]*`
/// 5. `\s*[\r\n]+`
/// 6. `\s+(?!\S)`
/// 7. `\s+`
///
/// The quantifiers here are not possessive, so the scanner reproduces the backtracking
/// outcome: for example `U*` gives back its last "upper" scalar when that scalar is also
/// "lower" (Lm, Lo, M) and nothing else can satisfy `L+`.
struct O200kPreTokenizer: PreTokenizer {
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
    // Alternatives 1 and 2, each first with the optional prefix taken, then without it.
    if first.isWordPrefix || first.isLetter {
      let prefixed = first.isWordPrefix && next < reader.count
      if prefixed, let end = upperThenLower(from: next, in: reader) {
        return end + Contraction.length(reader, at: end)
      }
      if first.isUpper || first.isLower, let end = upperThenLower(from: start, in: reader) {
        return end + Contraction.length(reader, at: end)
      }
      if prefixed, let end = lowerAfterUpper(from: next, in: reader) {
        return end + Contraction.length(reader, at: end)
      }
      if first.isUpper, let end = lowerAfterUpper(from: start, in: reader) {
        return end + Contraction.length(reader, at: end)
      }
    }
    // \p{N}{1,3}
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
    // ' ?[^\s\p{L}\p{N}]+[\r\n/]*'
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
      while end < reader.count {
        let byte = reader.bytes[end]
        guard byte == 0x0D || byte == 0x0A || byte == 0x2F else { break }
        end += 1
      }
      return end
    }
    // Whitespace from here on.
    let run = reader.whitespaceRun(from: start)
    // \s*[\r\n]+
    if let newlineEnd = run.newlineEnd { return newlineEnd }
    // \s+(?!\S)
    if run.end == reader.count { return run.end }
    if run.lastStart > start { return run.lastStart }
    // \s+
    return run.end
  }

  /// `[upper]*[lower]+` from `offset`, with backtracking; returns the end or nil.
  @inline(__always)
  private func upperThenLower(from offset: Int, in reader: ScalarReader) -> Int? {
    var position = offset
    // End of the last scalar of the upper run that is also lower: where `[lower]+` can
    // start if `[upper]*` has to give scalars back.
    var fallbackEnd: Int?
    while position < reader.count {
      let (flags, length) = reader.read(position)
      guard flags.isUpper else { break }
      position += length
      if flags.isLower { fallbackEnd = position }
    }
    if position < reader.count {
      let (flags, length) = reader.read(position)
      if flags.isLower {
        return reader.runEnd(from: position + length) { $0.isLower }
      }
    }
    return fallbackEnd
  }

  /// `[upper]+[lower]*` from `offset`; returns the end or nil.
  @inline(__always)
  private func lowerAfterUpper(from offset: Int, in reader: ScalarReader) -> Int? {
    let upperEnd = reader.runEnd(from: offset) { $0.isUpper }
    guard upperEnd > offset else { return nil }
    return reader.runEnd(from: upperEnd) { $0.isLower }
  }
}
