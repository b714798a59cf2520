import Foundation
import NIOConcurrencyHelpers

/// Token buckets of `RATE_LIMIT_PER_MINUTE` requests, refilled continuously, one per key (a
/// client IP or a user). Kept in this process's memory: behind N API processes a client gets up
/// to N times the rate, which is acceptable for a limit meant to stop floods, not to bill.
final class RateLimiter: Sendable {
  static let defaultPerMinute = 1200
  /// Above this many buckets, full ones (idle for a minute) are dropped.
  static let sweepThreshold = 10_000

  private struct Bucket {
    var tokens: Double
    var updated: Double
  }

  private struct State {
    var buckets: [String: Bucket] = [:]
    var lastSweep: Double = 0
  }

  let capacity: Double
  let refillPerSecond: Double
  /// Monotonic seconds; tests pass a clock they move by hand.
  private let now: @Sendable () -> Double
  private let state = NIOLockedValueBox(State())

  init(perMinute: Int, now: @escaping @Sendable () -> Double = { RateLimiter.monotonicSeconds() }) {
    capacity = Double(perMinute)
    refillPerSecond = Double(perMinute) / 60
    self.now = now
  }

  /// Takes one token from `key`'s bucket: nil when the request may proceed, else the whole
  /// seconds until a token is back (for `Retry-After`).
  func take(_ key: String) -> Int? {
    let now = now()
    return state.withLockedValue { state in
      var bucket = state.buckets[key] ?? Bucket(tokens: capacity, updated: now)
      bucket.tokens = min(capacity, bucket.tokens + (now - bucket.updated) * refillPerSecond)
      bucket.updated = now
      defer {
        state.buckets[key] = bucket
        sweep(&state, now: now)
      }
      guard bucket.tokens >= 1 else {
        return max(1, Int(((1 - bucket.tokens) / refillPerSecond).rounded(.up)))
      }
      bucket.tokens -= 1
      return nil
    }
  }

  /// The number of buckets held, for tests of the sweep.
  var bucketCount: Int { state.withLockedValue { $0.buckets.count } }

  private func sweep(_ state: inout State, now: Double) {
    guard state.buckets.count > Self.sweepThreshold, now - state.lastSweep >= 10 else { return }
    state.lastSweep = now
    let refillTime = capacity / refillPerSecond
    state.buckets = state.buckets.filter { now - $0.value.updated < refillTime }
  }

  static func monotonicSeconds() -> Double {
    let elapsed = ContinuousClock.now - ContinuousClock.Instant.zeroReference
    return Double(elapsed.components.seconds)
      + Double(elapsed.components.attoseconds) / 1e18
  }
}

extension ContinuousClock.Instant {
  fileprivate static let zeroReference = ContinuousClock.now
}
