import Crypto
import Foundation

enum SHA256Digest {
  static func of(_ text: String) -> [UInt8] {
    Array(SHA256.hash(data: Data(text.utf8)))
  }

  static func hex(_ text: String) -> String {
    of(text).map { String(format: "%02x", $0) }.joined()
  }
}
