/// The scans the pre-tokenisers' ASCII fast paths share (`*PreTokenizer+ASCII.swift`). Each
/// returns nil when its run reaches a byte of 0x80 or above, whose scalar could continue it:
/// the scalar scanner then decides the piece.
extension ScalarReader {
  /// ``runEnd(from:while:)`` over ASCII only: nil when the run reaches a byte of 0x80 or above,
  /// whose scalar could continue it. The pre-tokenisers' fast paths decide a piece with it.
  @inline(__always)
  func asciiRunEnd(from offset: Int, while test: (ScalarClass) -> Bool) -> Int? {
    var position = offset
    while position < count {
      let byte = bytes[position]
      guard byte < 0x80 else { return nil }
      guard test(classes[Int(byte)]) else { break }
      position += 1
    }
    return position
  }

  /// ``whitespaceRun(from:)`` over ASCII only: nil when the run reaches a byte of 0x80 or above.
  @inline(__always)
  func asciiWhitespaceRun(from offset: Int) -> (end: Int, lastStart: Int, newlineEnd: Int?)? {
    var position = offset
    var lastStart = offset
    var newlineEnd: Int?
    while position < count {
      let byte = bytes[position]
      guard byte < 0x80 else { return nil }
      let flags = classes[Int(byte)]
      guard flags.isWhitespace else { break }
      lastStart = position
      position += 1
      if flags.isNewline { newlineEnd = position }
    }
    return (position, lastStart, newlineEnd)
  }

  /// Where a word starts for a piece at `start`, whose first byte is ASCII of class `first`:
  /// after the one-byte prefix both patterns allow before letters, or at `start`; nil when the
  /// byte after a prefix is 0x80 or above, whose scalar decides.
  @inline(__always)
  func asciiWordStart(at start: Int, first: ScalarClass) -> Int? {
    guard first.isWordPrefix && start + 1 < count else { return start }
    return bytes[start + 1] < 0x80 ? start + 1 : nil
  }

  /// `\p{N}{1,3}` from the ASCII digit at `start`.
  @inline(__always)
  func asciiDigitGroupEnd(from start: Int) -> Int? {
    var end = start + 1
    while end < count && end - start < 3 {
      let byte = bytes[end]
      guard byte < 0x80 else { return nil }
      guard classes[Int(byte)].isNumber else { break }
      end += 1
    }
    return end
  }

  /// Where the run of ` ?[^\s\p{L}\p{N}]+` starts for a piece at `start`, whose first byte is
  /// ASCII of class `first`: there, after a leading space, or nil when no such piece starts.
  @inline(__always)
  func asciiPunctuationRunStart(at start: Int, first: ScalarClass) -> Int? {
    if first.isPunctuation { return start }
    if bytes[start] == 0x20 && start + 1 < count && classes[Int(bytes[start + 1])].isPunctuation {
      return start + 1
    }
    return nil
  }

  /// The end of the punctuation run from `runStart` and of the `[\r\n]*` after it, or of
  /// `[\r\n/]*` when `slashes` (o200k).
  @inline(__always)
  func asciiPunctuationPieceEnd(runFrom runStart: Int, slashes: Bool) -> Int? {
    guard var end = asciiRunEnd(from: runStart, while: { $0.isPunctuation }) else { return nil }
    while end < count {
      let byte = bytes[end]
      guard byte == 0x0D || byte == 0x0A || (slashes && byte == 0x2F) else { break }
      end += 1
    }
    return end
  }
}
