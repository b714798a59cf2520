/// Splits text into the pieces that byte-pair encoding works on, like an encoding's regex.
///
/// Each conformer is a hand-written scanner equivalent to one `pat_str` of tiktoken; Swift's
/// `Regex` is far too slow for this, and these patterns need only one scalar of look-ahead
/// plus a few bounded backtracking cases.
protocol PreTokenizer: Sendable {
  /// The end (byte offset) of the piece that starts at `start`; always greater than `start`.
  func pieceEnd(from start: Int, in reader: ScalarReader) -> Int
}

/// Matches `'(?i:...)` contraction suffixes after the apostrophe at `offset - 1`.
enum Contraction {
  /// Lower-cases an ASCII letter; other bytes are unchanged.
  @inline(__always)
  static func lower(_ byte: UInt8) -> UInt8 {
    byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
  }

  /// Whether the bytes at `offset` spell `s` case-insensitively: `s`, `S`, or `ſ` (U+017F,
  /// which Unicode case folding maps to `s`). Returns the length matched, or 0.
  @inline(__always)
  static func matchS(_ reader: ScalarReader, _ offset: Int) -> Int {
    let byte = reader.byte(offset)
    if lower(byte) == 0x73 { return 1 }
    if byte == 0xC5 && reader.byte(offset + 1) == 0xBF { return 2 }
    return 0
  }

  /// Length of `ll`, `ve` or `re` (any case) at `offset`, or 0.
  @inline(__always)
  static func matchPair(_ reader: ScalarReader, _ offset: Int) -> Int {
    let first = lower(reader.byte(offset))
    let second = lower(reader.byte(offset + 1))
    switch (first, second) {
    case (0x6C, 0x6C), (0x76, 0x65), (0x72, 0x65): return 2  // ll, ve, re
    default: return 0
    }
  }

  /// Length of the whole contraction (apostrophe included) at `offset`, or 0.
  /// The suffixes are `s`, `t`, `re`, `ve`, `m`, `ll`, `d`, in any case.
  @inline(__always)
  static func length(_ reader: ScalarReader, at offset: Int) -> Int {
    guard reader.byte(offset) == 0x27 else { return 0 }
    let letter = lower(reader.byte(offset + 1))
    if letter == 0x74 || letter == 0x6D || letter == 0x64 { return 2 }  // t, m, d
    let sLength = matchS(reader, offset + 1)
    if sLength > 0 { return 1 + sLength }
    let pair = matchPair(reader, offset + 1)
    return pair > 0 ? 1 + pair : 0
  }
}
