import Foundation

/// How long a failed job waits before its next attempt.
///
/// `delay(attempt) = min(base × 2^attempt, cap) × (1 + u)`, `u` uniform in `[-jitter, +jitter]`,
/// where `attempt` is the 1-based number of the attempt that just failed. With the defaults
/// (base 1 s, cap 1 h, jitter 0.2) the waits are about 2 s, 4 s, 8 s … 512 s, and 1 h from the
/// twelfth attempt on; the jitter spreads retries of jobs that failed together.
public struct JobBackoff: Sendable {
  /// The delay unit multiplied by `2^attempt`.
  public var base: TimeInterval
  /// The longest delay before jitter.
  public var cap: TimeInterval
  /// The relative jitter: 0.2 means ±20 %.
  public var jitter: Double
  /// Returns a number uniform in `0..<1`; replaceable so tests get exact delays.
  public var random: @Sendable () -> Double

  /// The default policy: `min(2^attempt s, 1 h) ± 20 %`.
  public init(
    base: TimeInterval = 1,
    cap: TimeInterval = 3600,
    jitter: Double = 0.2,
    random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
  ) {
    self.base = base
    self.cap = cap
    self.jitter = jitter
    self.random = random
  }

  /// The delay before jitter for the attempt that just failed (1-based).
  public func baseDelay(afterAttempt attempt: Int) -> TimeInterval {
    let exponent = Double(min(max(attempt, 0), 62))
    return min(base * pow(2, exponent), cap)
  }

  /// The delay with jitter for the attempt that just failed (1-based).
  public func delay(afterAttempt attempt: Int) -> TimeInterval {
    let spread = (random() * 2 - 1) * jitter
    return max(0, baseDelay(afterAttempt: attempt) * (1 + spread))
  }
}
