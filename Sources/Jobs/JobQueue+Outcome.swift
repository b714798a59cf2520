import Foundation
import SQLKit

/// What became of a job after a failed attempt.
public enum FailureOutcome: Sendable, Equatable {
  /// Retried at the given time.
  case retry(at: Date)
  /// Out of attempts (or failed permanently): dead.
  case dead
  /// The worker no longer held the job (lease lost, cancelled): nothing was recorded.
  case notHeld
}

extension JobQueue {
  /// Marks a running job `succeeded`, if `owner` still holds it.
  ///
  /// - Returns: Whether the job was still held (a job cancelled or rescued meanwhile is not).
  @discardableResult
  public func complete(_ job: JobRecord, owner: String) async throws -> Bool {
    let now = clock.now()
    let rows = try await write { database in
      try await database.raw(
        """
        UPDATE jobs SET state = 'succeeded', finished_at = \(bind: now), lease_owner = NULL, \
        lease_expires_at = NULL WHERE id = \(bind: job.id) AND lease_owner = \(bind: owner) \
        AND state = 'running' RETURNING id
        """
      ).all()
    }
    return !rows.isEmpty
  }

  /// Records a failed attempt: `retryable` after the backoff, or `dead` after the last attempt
  /// (at once when `permanent`).
  @discardableResult
  public func fail(
    _ job: JobRecord, owner: String, error: String, permanent: Bool = false
  ) async throws -> FailureOutcome {
    let now = clock.now()
    let outcome: FailureOutcome =
      permanent || job.attempt >= job.maxAttempts
      ? .dead : .retry(at: now.addingTimeInterval(backoff.delay(afterAttempt: job.attempt)))
    let assignments: SQLQueryString
    switch outcome {
    case .retry(let runAt):
      assignments = "state = 'retryable', run_at = \(bind: runAt)"
    default:
      assignments = "state = 'dead', finished_at = \(bind: now)"
    }
    let message = String(error.prefix(4000))
    let rows = try await write { database in
      try await database.raw(
        """
        UPDATE jobs SET \(assignments), last_error = \(bind: message), failed_at = \(bind: now), \
        lease_owner = NULL, lease_expires_at = NULL WHERE id = \(bind: job.id) AND lease_owner = \(bind: owner) \
        AND state = 'running' RETURNING id
        """
      ).all()
    }
    return rows.isEmpty ? .notHeld : outcome
  }

  /// Extends the lease of every job `owner` runs.
  ///
  /// - Returns: The ids still held; a job missing from it was cancelled or rescued meanwhile.
  public func renewLeases(owner: String) async throws -> Set<UUID> {
    let expiry = clock.now().addingTimeInterval(configuration.leaseDuration.timeInterval)
    let rows = try await write { database in
      try await database.raw(
        """
        UPDATE jobs SET lease_expires_at = \(bind: expiry) \
        WHERE lease_owner = \(bind: owner) AND state = 'running' RETURNING id
        """
      ).all()
    }
    return Set(try rows.map { try $0.decode(column: "id", as: UUID.self) })
  }

  /// Puts back the jobs `owner` still runs, as if not attempted: a stopping worker hands them
  /// to the others at once instead of letting their leases run out.
  ///
  /// - Returns: How many jobs were released.
  @discardableResult
  public func release(owner: String) async throws -> Int {
    let now = clock.now()
    let rows = try await write { database in
      try await database.raw(
        """
        UPDATE jobs SET state = 'available', attempt = attempt - 1, run_at = \(bind: now), \
        lease_owner = NULL, lease_expires_at = NULL \
        WHERE lease_owner = \(bind: owner) AND state = 'running' RETURNING id
        """
      ).all()
    }
    return rows.count
  }
}
