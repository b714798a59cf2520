import Logging

/// Runs one kind of job.
///
/// Jobs are delivered at least once (a worker can die after the work and before recording
/// it), so a handler must be idempotent. Throwing schedules a retry with backoff; throwing
/// ``PermanentJobError`` makes the job dead at once. A handler should honour task cancellation:
/// the worker cancels it when the job is cancelled, its lease is lost, or shutdown times out.
public protocol JobHandler: Sendable {
  /// Does the job's work.
  func handle(_ job: JobRecord, context: JobContext) async throws
}

/// What a handler gets besides its job.
public struct JobContext: Sendable {
  /// The queue, to enqueue follow-up jobs.
  public var queue: JobQueue
  /// A logger with the job's id, kind and attempt as metadata.
  public var logger: Logger
  /// The id of the worker running the job.
  public var workerID: String
}

/// A handler made of a closure.
public struct ClosureJobHandler: JobHandler {
  private let body: @Sendable (JobRecord, JobContext) async throws -> Void

  /// Wraps `body`.
  public init(_ body: @escaping @Sendable (JobRecord, JobContext) async throws -> Void) {
    self.body = body
  }

  public func handle(_ job: JobRecord, context: JobContext) async throws {
    try await body(job, context)
  }
}

/// Thrown by a handler for a failure that retrying cannot fix (bad payload, deleted entity):
/// the job goes straight to `dead`.
public struct PermanentJobError: Error, CustomStringConvertible {
  /// Why the job cannot succeed.
  public var reason: String

  /// Creates the error.
  public init(_ reason: String) {
    self.reason = reason
  }

  public var description: String { reason }
}
