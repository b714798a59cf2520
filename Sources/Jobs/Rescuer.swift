import Foundation
import SQLKit

/// A job taken back from a worker that stopped renewing its lease.
public struct RescuedJob: Sendable, Equatable {
  /// The job's id.
  public var id: UUID
  /// The job's queue.
  public var queue: String
  /// The job's kind.
  public var kind: JobKind
  /// `retryable` (due at once), or `dead` when that was its last attempt.
  public var state: JobState
}

extension JobQueue {
  /// Takes back running jobs whose lease expired (their worker died or hung): each becomes
  /// `retryable`, due at once, or `dead` if that was its last attempt.
  ///
  /// Safe to run from every worker at once: the statement only touches expired leases.
  @discardableResult
  public func rescueExpiredLeases() async throws -> [RescuedJob] {
    let now = clock.now()
    let rows = try await write { database in
      try await database.raw(
        """
        UPDATE jobs SET \
        state = CASE WHEN attempt >= max_attempts THEN 'dead' ELSE 'retryable' END, \
        finished_at = CASE WHEN attempt >= max_attempts THEN \(bind: now) ELSE NULL END, \
        run_at = \(bind: now), failed_at = \(bind: now), \
        last_error = 'lease expired: worker ' || COALESCE(lease_owner, '?') || ' stopped renewing', \
        lease_owner = NULL, lease_expires_at = NULL \
        WHERE state = 'running' AND lease_expires_at < \(bind: now) RETURNING id, queue, kind, state
        """
      ).all()
    }
    return try rows.map { row in
      RescuedJob(
        id: try row.decode(column: "id", as: UUID.self),
        queue: try row.decode(column: "queue", as: String.self),
        kind: JobKind(rawValue: try row.decode(column: "kind", as: String.self)),
        state: JobState(rawValue: try row.decode(column: "state", as: String.self)) ?? .retryable
      )
    }
  }
}
