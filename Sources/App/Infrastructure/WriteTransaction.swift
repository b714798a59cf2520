import Fluent
import Jobs
import SQLKit

extension Database {
  /// A transaction for a read-then-write, safe against SQLite's single writer.
  ///
  /// On SQLite a deferred `BEGIN` that reads and then writes fails at once (`SQLITE_BUSY`, or
  /// `busyInSnapshot` under WAL) when another connection wrote in between, and no busy handler
  /// can help it: under 16 concurrent generations that was a fifth of the answers before the
  /// retries, and still some 500s with them (scripts/bench.sh). Here the process's writers take
  /// turns on one lock (shared with the job queue's) and `BEGIN IMMEDIATE` takes the file's
  /// write lock before the first read. PostgreSQL runs an ordinary transaction.
  func writeTransaction<Result: Sendable>(
    _ body: @escaping @Sendable (any Database) async throws -> Result
  ) async throws -> Result {
    guard self.engine == .sqlite else {
      return try await transaction(body)
    }
    return try await SQLiteWriter.withProcessWriteLock {
      try await self.withConnection { connection in
        try await SQLiteWriter.runImmediate(on: connection.sql) { try await body(connection) }
      }
    }
  }

  /// `writeTransaction`, run again after a conflict a retry can resolve (`WriteConflict`): a
  /// unique index another writer won, a deadlock or a serialization failure on PostgreSQL,
  /// after a short random pause, up to `attempts` times in all.
  func writeTransaction<Result: Sendable>(
    attempts: Int, _ body: @escaping @Sendable (any Database) async throws -> Result
  ) async throws -> Result {
    var attempt = 0
    while true {
      attempt += 1
      do {
        return try await writeTransaction(body)
      } catch  where WriteConflict.isRetryable(error) && attempt < attempts {
        try await Task.sleep(for: .milliseconds(Int.random(in: 1...(5 * attempt))))
      }
    }
  }
}
