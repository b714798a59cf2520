/// Wakes a waiting worker loop early: a job was enqueued or a running job finished.
///
/// A signal sent while nobody waits is kept (once), so a wake-up between two waits is not lost.
final class WakeSignal: Sendable {
  private struct State {
    var pending = false
    var nextWaiter = 0
    var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    var cancelled: Set<Int> = []
  }

  private let state = Locked(State())

  /// Wakes every waiter, or the next one to wait.
  func signal() {
    let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
      if state.waiters.isEmpty {
        state.pending = true
        return []
      }
      let waiters = Array(state.waiters.values)
      state.waiters = [:]
      return waiters
    }
    for waiter in waiters { waiter.resume() }
  }

  /// Returns at the next signal, or after `timeout`, or when the task is cancelled.
  func wait(upTo timeout: Duration) async {
    let alreadySignalled = state.withLock { state in
      defer { state.pending = false }
      return state.pending
    }
    if alreadySignalled { return }
    await withTaskGroup(of: Void.self) { group in
      group.addTask { await self.waitForSignal() }
      group.addTask { try? await Task.sleep(for: timeout) }
      await group.next()
      group.cancelAll()
    }
  }

  private func waitForSignal() async {
    let id = state.withLock { state in
      state.nextWaiter += 1
      return state.nextWaiter
    }
    await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let resumeNow = state.withLock { state in
          if state.pending || state.cancelled.remove(id) != nil {
            state.pending = false
            return true
          }
          state.waiters[id] = continuation
          return false
        }
        if resumeNow { continuation.resume() }
      }
    } onCancel: {
      let waiter = state.withLock { state in
        guard let waiter = state.waiters.removeValue(forKey: id) else {
          state.cancelled.insert(id)
          return nil as CheckedContinuation<Void, Never>?
        }
        return waiter
      }
      waiter?.resume()
    }
  }
}

/// The workers of this process, told when a job is enqueued here so they need not wait for a
/// poll (on SQLite, where there is no `NOTIFY`, and on PostgreSQL before the round trip).
final class LocalWakeups: Sendable {
  private let listeners = Locked([Int: (queues: Set<String>, signal: WakeSignal)]())
  private let nextID = Locked(0)

  func register(queues: Set<String>, signal: WakeSignal) -> Int {
    let id = nextID.withLock { value in
      value += 1
      return value
    }
    listeners.withLock { $0[id] = (queues, signal) }
    return id
  }

  func unregister(_ id: Int) {
    _ = listeners.withLock { $0.removeValue(forKey: id) }
  }

  func notify(queue: String) {
    let signals = listeners.withLock { listeners in
      listeners.values.filter { $0.queues.isEmpty || $0.queues.contains(queue) }.map(\.signal)
    }
    for signal in signals { signal.signal() }
  }
}
