import Foundation

/// A handler for smoke tests and the queue's own tests: waits, then fails or succeeds as its
/// payload says.
///
/// Payload: `{"sleepMilliseconds": 50, "failUntilAttempt": 2, "permanent": false}` — every
/// field optional; attempts up to and including `failUntilAttempt` fail.
public struct TestJobHandler: JobHandler {
  /// The payload of a ``JobKind/test`` job.
  public struct Payload: Codable, Sendable, Equatable {
    /// How long the job takes.
    public var sleepMilliseconds: Int?
    /// Attempts up to this one (1-based) fail; `Int.max` always fails.
    public var failUntilAttempt: Int?
    /// Fail with ``PermanentJobError`` instead of a retryable error.
    public var permanent: Bool?

    /// Creates a payload.
    public init(sleepMilliseconds: Int? = nil, failUntilAttempt: Int? = nil, permanent: Bool? = nil)
    {
      self.sleepMilliseconds = sleepMilliseconds
      self.failUntilAttempt = failUntilAttempt
      self.permanent = permanent
    }
  }

  /// The failure a test job reports.
  public struct Failure: Error, CustomStringConvertible {
    /// The attempt that failed.
    public var attempt: Int

    public var description: String { "test job failed on attempt \(attempt)" }
  }

  /// Called after the sleep with each job that succeeds (tests count runs with it).
  private let onSuccess: @Sendable (JobRecord) async -> Void

  /// Creates the handler.
  public init(onSuccess: @escaping @Sendable (JobRecord) async -> Void = { _ in }) {
    self.onSuccess = onSuccess
  }

  public func handle(_ job: JobRecord, context: JobContext) async throws {
    let payload = try job.decodePayload(as: Payload.self)
    if let milliseconds = payload.sleepMilliseconds, milliseconds > 0 {
      try await Task.sleep(for: .milliseconds(milliseconds))
    }
    if let failUntil = payload.failUntilAttempt, job.attempt <= failUntil {
      if payload.permanent == true {
        throw PermanentJobError("test job failed permanently")
      }
      throw Failure(attempt: job.attempt)
    }
    await onSuccess(job)
  }
}
