import Foundation

/// The wall clock the queue reads for `run_at`, leases, backoff and schedule slots.
///
/// Injected so that tests move time forward instead of sleeping. Every process sharing a
/// database should keep its clock in sync (NTP); leases absorb small skews.
public protocol JobClock: Sendable {
  /// The current time.
  func now() -> Date
}

/// The system clock.
public struct SystemJobClock: JobClock {
  /// Creates the system clock.
  public init() {}

  public func now() -> Date { Date() }
}

/// A clock that only moves when told to, for tests.
public final class ManualJobClock: JobClock, @unchecked Sendable {
  private let lock = NSLock()
  private var current: Date

  /// Starts the clock at `start`.
  public init(_ start: Date = Date(timeIntervalSince1970: 1_750_000_000)) {
    self.current = start
  }

  public func now() -> Date {
    lock.withLock { current }
  }

  /// Moves the clock forward (or backward, for a negative interval).
  public func advance(by interval: TimeInterval) {
    lock.withLock { current = current.addingTimeInterval(interval) }
  }

  /// Sets the clock to `date`.
  public func set(_ date: Date) {
    lock.withLock { current = date }
  }
}
