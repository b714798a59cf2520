import Foundation

extension UUID {
  /// A time-ordered UUID (RFC 9562 version 7): 48 bits of Unix milliseconds, then 74 random
  /// bits.
  ///
  /// Ids sort by creation time, so keyset pagination on the primary key alone lists rows in the
  /// order they were created, on PostgreSQL and SQLite alike.
  static func v7(now: Date = Date()) -> UUID {
    let milliseconds = UInt64(max(0, now.timeIntervalSince1970 * 1000))
    var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    withUnsafeMutableBytes(of: &uuid) { bytes in
      RandomBytes.fill(UnsafeMutableRawBufferPointer(rebasing: bytes[6...]))
      for index in 0..<6 {
        bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - UInt64(index))))
      }
      bytes[6] = (bytes[6] & 0x0F) | 0x70
      bytes[8] = (bytes[8] & 0x3F) | 0x80
    }
    return UUID(uuid: uuid)
  }

  /// A random UUID (RFC 9562 version 4), for identifiers that need no order: request ids,
  /// token ids, temporary names. Foundation's `UUID()` reads `/dev/urandom` through a file it
  /// opens and closes at every call.
  static func random() -> UUID {
    var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    withUnsafeMutableBytes(of: &uuid) { bytes in
      RandomBytes.fill(bytes)
      bytes[6] = (bytes[6] & 0x0F) | 0x40
      bytes[8] = (bytes[8] & 0x3F) | 0x80
    }
    return UUID(uuid: uuid)
  }
}
