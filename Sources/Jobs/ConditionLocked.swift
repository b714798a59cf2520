import Foundation

/// A value behind a lock that a thread may also wait on, until another thread changes the value
/// in a way it waits for, or until a deadline.
///
/// For a thread of its own, such as the SQLite writer's: waiting blocks the calling thread, so
/// never wait on an event loop or in a task.
final class ConditionLocked<Value>: @unchecked Sendable {
  private let condition = NSCondition()
  private var value: Value
  /// Whether a thread is in `wait`: only then does a change signal (`pthread_cond_signal`).
  private var waiting = false

  init(_ value: Value) {
    self.value = value
  }

  func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
    condition.lock()
    defer { condition.unlock() }
    return try body(&value)
  }

  /// `withLock`, then wakes the thread waiting, if one is.
  func withLockWaking<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
    condition.lock()
    defer {
      if waiting { condition.signal() }
      condition.unlock()
    }
    return try body(&value)
  }

  /// Waits while `keepWaiting` holds, at most until `deadline`, then runs `body` under the
  /// same lock. `keepWaiting` is checked first: when it does not hold, nothing waits.
  func wait<Result>(
    until deadline: Date, while keepWaiting: (Value) -> Bool,
    then body: (inout Value) throws -> Result
  ) rethrows -> Result {
    condition.lock()
    defer { condition.unlock() }
    while keepWaiting(value) {
      waiting = true
      let signalled = condition.wait(until: deadline)
      waiting = false
      if !signalled { break }
    }
    return try body(&value)
  }
}
