import Foundation

extension UUID {
  /// A time-ordered UUID (RFC 9562 version 7).
  ///
  /// Ids sort by creation time, so keyset pagination on the primary key alone lists rows in the
  /// order they were created, on PostgreSQL and SQLite alike.
  static func v7(now: Date = Date()) -> UUID {
    let milliseconds = UInt64(max(0, now.timeIntervalSince1970 * 1000))
    var generator = SystemRandomNumberGenerator()
    var bytes = [UInt8](repeating: 0, count: 16)
    for index in 0..<6 {
      bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - UInt64(index))))
    }
    for index in 6..<16 {
      bytes[index] = UInt8.random(in: 0...255, using: &generator)
    }
    bytes[6] = (bytes[6] & 0x0F) | 0x70
    bytes[8] = (bytes[8] & 0x3F) | 0x80
    return UUID(
      uuid: (
        bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
        bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
      ))
  }
}
