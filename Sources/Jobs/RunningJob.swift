/// A job this worker runs, and the task running its handler.
final class RunningJob: Sendable {
  private struct State {
    var handler: Task<Void, any Error>?
    var abandoned = false
  }

  let job: JobRecord
  private let state = Locked(State())

  init(_ job: JobRecord) {
    self.job = job
  }

  /// Whether the worker gave the job up (lease lost, cancelled, released on shutdown): its
  /// outcome is not recorded.
  var isAbandoned: Bool { state.withLock { $0.abandoned } }

  func attach(_ handler: Task<Void, any Error>) {
    let cancel = state.withLock { state in
      state.handler = handler
      return state.abandoned
    }
    if cancel { handler.cancel() }
  }

  /// Gives the job up and cancels its handler.
  func abandon() {
    let handler = state.withLock { state in
      state.abandoned = true
      return state.handler
    }
    handler?.cancel()
  }
}
