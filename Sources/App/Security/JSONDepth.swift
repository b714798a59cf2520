import NIOCore

/// How deeply a JSON text nests, counted on the raw bytes before any parsing, so that a
/// pathological body is refused cheaply.
enum JSONDepth {
  /// Request bodies nest far less than this; the parser itself would allow 512.
  static let maximum = 32

  /// Whether `buffer` opens more than `limit` arrays and objects inside each other.
  static func exceeds(_ buffer: ByteBuffer, limit: Int = maximum) -> Bool {
    var depth = 0
    var inString = false
    var escaped = false
    for byte in buffer.readableBytesView {
      if inString {
        if escaped {
          escaped = false
        } else if byte == UInt8(ascii: "\\") {
          escaped = true
        } else if byte == UInt8(ascii: "\"") {
          inString = false
        }
        continue
      }
      switch byte {
      case UInt8(ascii: "\""): inString = true
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        depth += 1
        if depth > limit { return true }
      case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
      default: break
      }
    }
    return false
  }
}
