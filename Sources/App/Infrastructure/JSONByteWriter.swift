import Foundation
import JSONCore
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

  mutating func integer(_ value: Int) {
    separate()
    buffer.writeString(String(value))
    needsComma = true
  }

  mutating func boolean(_ value: Bool) {
    separate()
    buffer.writeStaticString(value ? "true" : "false")
    needsComma = true
  }

  mutating func null() {
    separate()
    buffer.writeStaticString("null")
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

  /// `JSONEncoder`'s escapes, `\/` included, so that the hand-written pages equal the encoded
  /// ones byte for byte (`IssueListJSONTests`).
  private mutating func writeEscaped(_ bytes: UnsafeBufferPointer<UInt8>) {
    buffer.writeInteger(UInt8(ascii: "\""))
    JSONEscaping.escape(bytes, escapingSlash: true) { run in
      buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[run])))
    } write: { escape in
      buffer.writeBytes(UnsafeRawBufferPointer(escape))
    }
    buffer.writeInteger(UInt8(ascii: "\""))
  }
}
