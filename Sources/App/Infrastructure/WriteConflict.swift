import FluentSQLiteDriver
import Foundation
import PostgresKit

/// Errors after which running the same transaction again can succeed: a unique index lost to a
/// concurrent writer, SQLite's single writer being busy, a stale SQLite read snapshot, or a
/// PostgreSQL deadlock or serialization failure.
enum WriteConflict {
  static func isRetryable(_ error: any Error) -> Bool {
    if let sqlite = error as? SQLiteError {
      switch sqlite.reason {
      // `busyInSnapshot`: the transaction read a snapshot that another writer has since
      // committed past, so it cannot write; starting over reads the new state. Under 16
      // concurrent `POST /prompts/generate` on SQLite this was a fifth of the answers, as 500s
      // (scripts/bench.sh, 2026-11-26).
      case .busy, .locked, .lockedBySharedCache, .busyTimeout, .busyInSnapshot, .busyInRecovery:
        return true
      default: break
      }
    }
    if let database = error as? any DatabaseError, database.isConstraintFailure { return true }
    // PostgreSQL ended the transaction to break a deadlock, or could not serialize it: running it
    // again is the documented answer to both.
    if let postgres = error as? PSQLError,
      let state = postgres.serverInfo?[.sqlState], ["40P01", "40001"].contains(state)
    {
      return true
    }
    return false
  }
}
