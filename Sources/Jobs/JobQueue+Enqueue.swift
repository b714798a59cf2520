import Foundation
import SQLKit

extension JobQueue {
  /// Adds a job, or returns the job that already holds the request's unique key.
  ///
  /// Pass `transaction` (a database inside the caller's open transaction) to make the job part
  /// of the caller's write: rolled back with it, visible to workers only once it commits (on
  /// PostgreSQL the `NOTIFY` is transactional too).
  @discardableResult
  public func enqueue(
    _ request: JobRequest, on transaction: (any SQLDatabase)? = nil
  ) async throws -> EnqueueResult {
    let result: EnqueueResult
    if let transaction {
      result = try await insert(request, on: transaction)
    } else {
      result = try await write { database in try await self.insert(request, on: database) }
    }
    if result.inserted {
      wakeups.notify(queue: request.queue)
    }
    return result
  }

  /// Enqueues a job of `kind` whose payload is encoded to JSON.
  @discardableResult
  public func enqueue(
    _ kind: JobKind,
    payload: some Encodable,
    queue: String = JobQueue.defaultQueueName,
    runAt: Date? = nil,
    uniqueKey: String? = nil,
    maxAttempts: Int? = nil,
    tenant: String? = nil,
    on transaction: (any SQLDatabase)? = nil
  ) async throws -> EnqueueResult {
    let request = try JobRequest(
      kind: kind, payload: payload, queue: queue, runAt: runAt, uniqueKey: uniqueKey,
      maxAttempts: maxAttempts, tenant: tenant)
    return try await enqueue(request, on: transaction)
  }

  private func insert(_ request: JobRequest, on database: any SQLDatabase) async throws
    -> EnqueueResult
  {
    // A unique job can finish between a conflicting insert and the look-up of the holder;
    // then the insert is tried again.
    for _ in 0..<5 {
      if let job = try await insertRow(request, on: database) {
        if dialect == .postgres {
          try await database.raw(
            "SELECT pg_notify(\(literal: Self.notificationChannel), \(bind: request.queue))"
          ).run()
        }
        return EnqueueResult(job: job, inserted: true)
      }
      if let existing = try await holder(of: request, on: database) {
        return EnqueueResult(job: existing, inserted: false)
      }
    }
    // Five holders finishing between insert and look-up: report the key as contended.
    throw JobsError.uniqueKeyTaken(id: UUID(), uniqueKey: request.uniqueKey ?? "")
  }

  /// Inserts the row; `nil` when a job holding the unique key exists.
  private func insertRow(_ request: JobRequest, on database: any SQLDatabase) async throws
    -> JobRecord?
  {
    let now = clock.now()
    let maxAttempts = max(1, request.maxAttempts ?? configuration.maxAttempts)
    let values: SQLQueryString = """
      \(bind: JobID.make(now: now)), \(bind: request.queue), \(bind: request.kind.rawValue), \
      \(bind: request.payload), 'available', 0, \(bind: maxAttempts), \
      \(bind: request.runAt ?? now), \(SQLQueryString.bindOrNull(request.uniqueKey)), \(bind: now), \
      \(SQLQueryString.bindOrNull(request.tenant))
      """
    var query: SQLQueryString = """
      INSERT INTO jobs (id, queue, kind, payload, state, attempt, max_attempts, run_at, \
      unique_key, created_at, tenant)
      """
    guard let uniqueKey = request.uniqueKey else {
      query += " VALUES (\(values)) RETURNING \(unsafeRaw: JobRecord.columns)"
      return try await Self.records(query, on: database).first
    }
    // SQLite needs a WHERE in INSERT … SELECT before ON CONFLICT (its parser would read ON as
    // a join constraint otherwise).
    let condition: SQLQueryString =
      request.uniqueness == .forever
      ? "NOT EXISTS (SELECT 1 FROM jobs WHERE unique_key = \(bind: uniqueKey))" : "1 = 1"
    query += """
       SELECT \(values) WHERE \(condition) \
      ON CONFLICT (unique_key) WHERE \(unsafeRaw: JobsSchema.pendingPredicate) DO NOTHING \
      RETURNING \(unsafeRaw: JobRecord.columns)
      """
    return try await Self.records(query, on: database).first
  }

  /// The job holding the request's unique key: a pending one first, else (for `.forever`) the
  /// newest.
  private func holder(of request: JobRequest, on database: any SQLDatabase) async throws
    -> JobRecord?
  {
    guard let uniqueKey = request.uniqueKey else { return nil }
    let filter: SQLQueryString =
      request.uniqueness == .whilePending
      ? " AND state IN \(SQLQueryString.states(JobState.pending))" : ""
    return try await Self.records(
      """
      SELECT \(unsafeRaw: JobRecord.columns) FROM jobs WHERE unique_key = \(bind: uniqueKey)\
      \(filter) ORDER BY CASE WHEN state IN \(SQLQueryString.states(JobState.pending)) \
      THEN 0 ELSE 1 END, id DESC LIMIT 1
      """,
      on: database
    ).first
  }
}
