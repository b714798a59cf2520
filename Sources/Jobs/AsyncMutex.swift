/// A first-come, first-served lock for async critical sections.
///
/// Waiting here costs nothing but a continuation: callers that would otherwise each hold a
/// database connection while waiting on a database lock wait here first.
public final class AsyncMutex: Sendable {
  private struct State {
    var locked = false
    var waiters: [CheckedContinuation<Void, Never>] = []
  }

  private let state = Locked(State())

  /// An unlocked mutex.
  public init() {}

  /// Runs `body` once every earlier caller's body has finished.
  public func withLock<Result: Sendable>(
    _ body: @Sendable () async throws -> Result
  ) async throws -> Result {
    await acquire()
    do {
      let result = try await body()
      release()
      return result
    } catch {
      release()
      throw error
    }
  }

  private func acquire() async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let acquired = state.withLock { state in
        if !state.locked {
          state.locked = true
          return true
        }
        state.waiters.append(continuation)
        return false
      }
      if acquired { continuation.resume() }
    }
  }

  private func release() {
    let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
      if state.waiters.isEmpty {
        state.locked = false
        return nil
      }
      // The lock passes straight to the next waiter.
      return state.waiters.removeFirst()
    }
    next?.resume()
  }
}
