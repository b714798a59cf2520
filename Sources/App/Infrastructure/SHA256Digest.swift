import Crypto
import Foundation

enum SHA256Digest {
  static func of(_ text: String) -> [UInt8] {
    Array(SHA256.hash(data: Data(text.utf8)))
  }

  /// Lowercase hex. Not `String(format: "%02x")` per byte: that was 6 % of the server's CPU in
  /// `POST /auth/refresh` (token hashes; perf, 2026-11-26).
  static func hex(_ text: String) -> String {
    hex(Data(text.utf8))
  }

  static func hex(_ data: Data) -> String {
    lowercaseHex(SHA256.hash(data: data))
  }

  /// Any bytes as lowercase hex.
  static func lowercaseHex<Bytes: Sequence>(_ bytes: Bytes) -> String
  where Bytes.Element == UInt8 {
    let digits: StaticString = "0123456789abcdef"
    var out: [UInt8] = []
    out.reserveCapacity(bytes.underestimatedCount * 2)
    for byte in bytes {
      out.append(digits.utf8Start[Int(byte >> 4)])
      out.append(digits.utf8Start[Int(byte & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
  }
}
