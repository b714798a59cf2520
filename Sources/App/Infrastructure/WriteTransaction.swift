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
        let sql = connection.sql
        try await sql.raw("BEGIN IMMEDIATE").run()
        do {
          let result = try await body(connection)
          try await sql.raw("COMMIT").run()
          return result
        } catch {
          try? await sql.raw("ROLLBACK").run()
          throw error
        }
      }
    }
  }
}
