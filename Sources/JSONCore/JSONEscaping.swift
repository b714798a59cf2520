/// The one JSON string escaper: `JSON.stringify`'s escapes (`\"`, `\\`, `\b`, `\f`, `\n`, `\r`,
/// `\t`, `\u00xx` for other control characters), and `\/` too when asked, as `JSONEncoder`
/// writes it. Every escaped character is ASCII, so it scans UTF-8 bytes and hands the
/// unescaped runs between them on whole.
public enum JSONEscaping {
  /// The escaped contents of `bytes` (UTF-8, without the quotes), in order: `copy` gets each
  /// run of bytes that go through unchanged (offsets into `bytes`), `write` each escape.
  @inlinable
  public static func escape(
    _ bytes: UnsafeBufferPointer<UInt8>, escapingSlash: Bool,
    copy: (Range<Int>) -> Void, write: (UnsafeBufferPointer<UInt8>) -> Void
  ) {
    var runStart = 0
    var index = 0
    while index < bytes.count {
      // Eight bytes at a time while none of them needs an escape: a page of issue descriptions
      // is mostly such runs, and the byte-by-byte test was 9 % of the server's CPU on
      // `GET /issues` (perf, 2026-11-26).
      if index + 8 <= bytes.count,
        !anyNeedsEscape(
          UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self))
      {
        index += 8
        continue
      }
      let byte = bytes[index]
      index += 1
      guard byte < 0x20 || byte == 0x22 || byte == 0x5C || (escapingSlash && byte == 0x2F)
      else { continue }
      if runStart < index - 1 { copy(runStart..<(index - 1)) }
      runStart = index
      var escaped: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0x5C, 0, 0, 0, 0, 0)
      var count = 2
      switch byte {
      case 0x22, 0x2F, 0x5C: escaped.1 = byte
      case 0x08: escaped.1 = UInt8(ascii: "b")
      case 0x09: escaped.1 = UInt8(ascii: "t")
      case 0x0A: escaped.1 = UInt8(ascii: "n")
      case 0x0C: escaped.1 = UInt8(ascii: "f")
      case 0x0D: escaped.1 = UInt8(ascii: "r")
      default:
        escaped = (0x5C, UInt8(ascii: "u"), 0x30, 0x30, hexDigit(byte >> 4), hexDigit(byte & 0x0F))
        count = 6
      }
      withUnsafeBytes(of: &escaped) { raw in
        write(UnsafeBufferPointer(rebasing: raw.bindMemory(to: UInt8.self)[0..<count]))
      }
    }
    if runStart < bytes.count { copy(runStart..<bytes.count) }
  }

  @inlinable
  static func hexDigit(_ nibble: UInt8) -> UInt8 {
    nibble < 10 ? 0x30 + nibble : UInt8(ascii: "a") + nibble - 10
  }

  /// Whether any of the eight bytes of `word` may need an escape: below 0x20, or `"`, `/`, `\`
  /// (`/` is tested for always and skipped byte by byte when it needs none). The classic bit
  /// tricks (a byte below n: `(x - n·0x01…) & ~x & 0x80…`, exact for n ≤ 0x80; a byte equal to
  /// c: a zero byte in `x ^ c·0x01…`), so the answer is exact for the word.
  @inlinable
  public static func anyNeedsEscape(_ word: UInt64) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highBits: UInt64 = 0x8080_8080_8080_8080
    func hasZeroByte(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highBits }
    let control = (word &- ones &* 0x20) & ~word & highBits
    let quote = hasZeroByte(word ^ (ones &* 0x22))
    let slash = hasZeroByte(word ^ (ones &* 0x2F))
    let backslash = hasZeroByte(word ^ (ones &* 0x5C))
    return (control | quote | slash | backslash) != 0
  }
}

extension JSONValue {
  /// `string` as a JSON string literal, escaped as `JSON.stringify` escapes it.
  public static func quoted(_ string: String) -> String {
    var output = ""
    writeQuoted(string, into: &output)
    return output
  }
}
