import Foundation
import SQLKit

extension JobQueue {
  /// The job with `id` if it is in `scope`, or `nil`.
  public func job(id: UUID, in scope: JobScope = .all) async throws -> JobRecord? {
    try await Self.records(
      """
      SELECT \(unsafeRaw: JobRecord.columns) FROM jobs WHERE id = \(bind: id)\
      \(scope.andCondition)
      """,
      on: database
    ).first
  }

  /// Makes a dead or retryable job available now. A dead job gets one more attempt
  /// (`max_attempts` is raised to `attempt + 1` if needed).
  ///
  /// - Throws: ``JobsError/notFound(_:)``, ``JobsError/invalidTransition(id:from:action:)``
  ///   from any other state, ``JobsError/uniqueKeyTaken(id:uniqueKey:)`` when another pending
  ///   job holds its unique key. A job outside `scope` is not found.
  public func retry(id: UUID, in scope: JobScope = .all) async throws -> JobRecord {
    let now = clock.now()
    let greatest = dialect == .postgres ? "GREATEST" : "MAX"
    let updated = try await write { database in
      try await Self.records(
        """
        UPDATE jobs SET state = 'available', run_at = \(bind: now), finished_at = NULL, \
        max_attempts = \(unsafeRaw: greatest)(max_attempts, attempt + 1) \
        WHERE id = \(bind: id)\(scope.andCondition) AND state IN ('dead', 'retryable') \
        AND NOT EXISTS (SELECT 1 FROM jobs other WHERE other.unique_key = jobs.unique_key \
        AND other.id <> jobs.id AND other.state IN \(SQLQueryString.states(JobState.pending))) \
        RETURNING \(unsafeRaw: JobRecord.columns)
        """,
        on: database)
    }
    if let job = updated.first {
      wakeups.notify(queue: job.queue)
      if dialect == .postgres {
        try await database.raw(
          "SELECT pg_notify(\(literal: Self.notificationChannel), \(bind: job.queue))"
        ).run()
      }
      return job
    }
    guard let job = try await job(id: id, in: scope) else { throw JobsError.notFound(id) }
    if [.dead, .retryable].contains(job.state), let key = job.uniqueKey {
      throw JobsError.uniqueKeyTaken(id: id, uniqueKey: key)
    }
    throw JobsError.invalidTransition(id: id, from: job.state, action: "retry")
  }

  /// Cancels an available, retryable or running job. A running job's worker notices at its
  /// next lease renewal and cancels the handler's task.
  ///
  /// - Throws: ``JobsError/notFound(_:)``, or ``JobsError/invalidTransition(id:from:action:)``
  ///   for a job already finished. A job outside `scope` is not found.
  public func cancel(id: UUID, in scope: JobScope = .all) async throws -> JobRecord {
    let now = clock.now()
    let updated = try await write { database in
      try await Self.records(
        """
        UPDATE jobs SET state = 'cancelled', finished_at = \(bind: now), lease_owner = NULL, \
        lease_expires_at = NULL WHERE id = \(bind: id)\(scope.andCondition) \
        AND state IN ('available', 'retryable', 'running') \
        RETURNING \(unsafeRaw: JobRecord.columns)
        """,
        on: database)
    }
    if let job = updated.first { return job }
    guard let job = try await job(id: id, in: scope) else { throw JobsError.notFound(id) }
    throw JobsError.invalidTransition(id: id, from: job.state, action: "cancel")
  }
}
