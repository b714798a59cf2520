import Foundation

/// Generates job ids: time-ordered UUIDs (RFC 9562 version 7).
///
/// Ids sort by creation time on PostgreSQL (`uuid`) and SQLite (upper-case text) alike, so
/// keyset pagination by id lists jobs in the order they were enqueued. Within one millisecond a
/// 12-bit counter keeps ids from one process increasing (RFC 9562, method 1).
enum JobID {
  private struct State {
    var lastMilliseconds: UInt64 = 0
    var counter: UInt16 = 0
  }

  private static let state = Locked(State())

  static func make(now: Date) -> UUID {
    var milliseconds = UInt64(max(0, now.timeIntervalSince1970 * 1000))
    let counter: UInt16 = state.withLock { state in
      if milliseconds > state.lastMilliseconds {
        state.lastMilliseconds = milliseconds
        state.counter = UInt16.random(in: 0..<0x400)
      } else {
        // Same millisecond, or the clock went back: continue the last sequence.
        milliseconds = state.lastMilliseconds
        state.counter += 1
        if state.counter > 0xFFF {
          state.lastMilliseconds += 1
          milliseconds = state.lastMilliseconds
          state.counter = 0
        }
      }
      return state.counter
    }
    var bytes = [UInt8](repeating: 0, count: 16)
    for index in 0..<6 {
      bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - UInt64(index))))
    }
    bytes[6] = 0x70 | UInt8(truncatingIfNeeded: counter >> 8)
    bytes[7] = UInt8(truncatingIfNeeded: counter)
    // One 64-bit value: a system call, where one per byte made eight.
    var generator = SystemRandomNumberGenerator()
    let random: UInt64 = generator.next()
    for index in 8..<16 {
      bytes[index] = UInt8(truncatingIfNeeded: random >> (8 * UInt64(index - 8)))
    }
    bytes[8] = (bytes[8] & 0x3F) | 0x80
    return UUID(
      uuid: (
        bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
        bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
      ))
  }
}
