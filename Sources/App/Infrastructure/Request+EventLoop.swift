import Vapor

extension Request {
  /// Runs `body` with the request's event loop as its task's executor preference.
  ///
  /// What `body` awaits on another thread (a SQLite reader, the writer, the blocking pool)
  /// resumes on the loop that holds the request's connection. Without a preference it resumes
  /// on whichever loop the global executor picks for a thread that is not a loop's
  /// (`MultiThreadedEventLoopGroup.anySEL`: the next one, in turn), half the time the other
  /// one, and the response then crosses back. Vapor starts each async middleware and route in
  /// a task of its own, which does not inherit a preference, so the hot paths set it where
  /// they wait.
  func onItsEventLoop<Result>(_ body: () async throws -> Result) async rethrows -> Result {
    try await withTaskExecutorPreference(EventLoopTaskExecutor(eventLoop), operation: body)
  }
}
