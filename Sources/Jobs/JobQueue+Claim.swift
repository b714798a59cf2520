import Foundation
import SQLKit

extension JobQueue {
  /// Claims up to `limit` due jobs for `owner`: each becomes `running`, its attempt counts up
  /// and it is leased for the configured lease duration.
  ///
  /// On PostgreSQL one statement locks the due rows with `FOR UPDATE SKIP LOCKED`, so concurrent
  /// claimers skip each other's rows instead of waiting or taking the same job. On SQLite the
  /// same runs in a `BEGIN IMMEDIATE` transaction, which holds the single write lock.
  ///
  /// - Parameter queues: The queues to claim from; empty means all.
  public func claim(limit: Int, queues: [String] = [], owner: String) async throws
    -> [JobRecord]
  {
    guard limit > 0 else { return [] }
    let now = clock.now()
    let leaseExpiry = now.addingTimeInterval(configuration.leaseDuration.timeInterval)
    let queueFilter: SQLQueryString =
      queues.isEmpty
      ? "" : " AND queue IN (\(binds: queues.map { $0 as any Encodable & Sendable }))"
    let due: SQLQueryString = """
      SELECT id FROM jobs WHERE state IN ('available', 'retryable') \
      AND run_at <= \(bind: now)\(queueFilter) ORDER BY run_at, id LIMIT \(bind: limit)
      """
    let assignments: SQLQueryString = """
      state = 'running', attempt = attempt + 1, lease_owner = \(bind: owner), \
      lease_expires_at = \(bind: leaseExpiry), started_at = \(bind: now)
      """
    let jobs: [JobRecord]
    switch dialect {
    case .postgres:
      jobs = try await Self.records(
        """
        WITH due AS MATERIALIZED (\(due) FOR UPDATE SKIP LOCKED) \
        UPDATE jobs SET \(assignments) FROM due WHERE jobs.id = due.id \
        RETURNING \(unsafeRaw: JobRecord.qualifiedColumns)
        """,
        on: database)
    case .sqlite:
      jobs = try await immediateWrite { session in
        try await Self.records(
          """
          UPDATE jobs SET \(assignments) WHERE id IN (\(due)) \
          RETURNING \(unsafeRaw: JobRecord.columns)
          """,
          on: session)
      }
    }
    return jobs.sorted { ($0.runAt, $0.id.uuidString) < ($1.runAt, $1.id.uuidString) }
  }
}

extension JobRecord {
  /// ``columns`` prefixed with the table name, for statements that join.
  static let qualifiedColumns = columns.split(separator: ",")
    .map { "jobs." + $0.trimmingCharacters(in: .whitespaces) }
    .joined(separator: ", ")
}
