import Foundation
import NIOCore

/// Writes JSON straight into a `ByteBuffer`, byte for byte what the application's
/// `JSONEncoder` (sorted keys, ISO 8601 dates) writes: the same escapes (`\/` included, `\u00xx`
/// in lowercase for other control characters), no whitespace. For the large lists only: on
/// `GET /issues` (50 issues with their descriptions, about 300 KB) `JSONEncoder` was a third of
/// the server's CPU (scripts/bench.sh with BENCH_PROFILE=1, 2026-11-26). The caller writes the
/// keys of each object in sorted order.
struct JSONByteWriter {
  private(set) var buffer: ByteBuffer
  private var needsComma = false

  init(buffer: ByteBuffer) {
    self.buffer = buffer
  }

  mutating func beginArray() {
    separate()
    buffer.writeInteger(UInt8(ascii: "["))
    needsComma = false
  }

  mutating func endArray() {
    buffer.writeInteger(UInt8(ascii: "]"))
    needsComma = true
  }

  mutating func beginObject() {
    separate()
    buffer.writeInteger(UInt8(ascii: "{"))
    needsComma = false
  }

  mutating func endObject() {
    buffer.writeInteger(UInt8(ascii: "}"))
    needsComma = true
  }

  /// A key; `key` is written as is (a plain ASCII name, nothing to escape).
  mutating func key(_ key: StaticString) {
    separate()
    buffer.writeInteger(UInt8(ascii: "\""))
    buffer.writeStaticString(key)
    buffer.writeStaticString("\":")
    needsComma = false
  }

  mutating func string(_ value: String) {
    separate()
    var value = value
    value.withUTF8 { writeEscaped($0) }
    needsComma = true
  }

  mutating func date(_ value: Date) {
    string(value.formatted(.iso8601))
  }

  mutating func stringArray(_ values: [String]) {
    beginArray()
    for value in values { string(value) }
    endArray()
  }

  private mutating func separate() {
    if needsComma { buffer.writeInteger(UInt8(ascii: ",")) }
  }

  private mutating func writeEscaped(_ bytes: UnsafeBufferPointer<UInt8>) {
    buffer.writeInteger(UInt8(ascii: "\""))
    var runStart = 0
    var index = 0
    while index < bytes.count {
      // Eight bytes at a time while none of them needs an escape: a page of issue descriptions
      // is mostly such runs, and the byte-by-byte test was 9 % of the server's CPU on
      // `GET /issues` (perf, 2026-11-26).
      if index + 8 <= bytes.count,
        !Self.anyNeedsEscape(
          UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self))
      {
        index += 8
        continue
      }
      let byte = bytes[index]
      index += 1
      // Everything from 0x20 up except `"`, `/` and `\` goes through unchanged (UTF-8 included).
      guard Self.needsEscape(byte) else { continue }
      let start = index - 1
      if runStart < start {
        buffer.writeBytes(
          UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[runStart..<start])))
      }
      runStart = index
      switch byte {
      case 0x22: buffer.writeStaticString("\\\"")
      case 0x2F: buffer.writeStaticString("\\/")
      case 0x5C: buffer.writeStaticString("\\\\")
      case 0x08: buffer.writeStaticString("\\b")
      case 0x09: buffer.writeStaticString("\\t")
      case 0x0A: buffer.writeStaticString("\\n")
      case 0x0C: buffer.writeStaticString("\\f")
      case 0x0D: buffer.writeStaticString("\\r")
      default:
        let hex: StaticString = "0123456789abcdef"
        buffer.writeStaticString("\\u00")
        buffer.writeInteger(hex.utf8Start[Int(byte >> 4)])
        buffer.writeInteger(hex.utf8Start[Int(byte & 0x0F)])
      }
    }
    if runStart < bytes.count {
      buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[runStart...])))
    }
    buffer.writeInteger(UInt8(ascii: "\""))
  }

  @inline(__always)
  private static func needsEscape(_ byte: UInt8) -> Bool {
    byte < 0x20 || byte == 0x22 || byte == 0x2F || byte == 0x5C
  }

  /// Whether any of the eight bytes of `word` needs an escape: below 0x20, or `"`, `/`, `\`.
  /// The classic bit tricks (a byte below n: `(x - n·0x01…) & ~x & 0x80…`, exact for n ≤ 0x80; a
  /// byte equal to c: a zero byte in `x ^ c·0x01…`), so the answer is exact for the word.
  @inline(__always)
  static func anyNeedsEscape(_ word: UInt64) -> Bool {
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
