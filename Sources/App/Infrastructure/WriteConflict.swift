import FluentSQLiteDriver
import Foundation

/// Errors after which running the same transaction again can succeed: a unique index lost to a
/// concurrent writer, or SQLite's single writer being busy.
enum WriteConflict {
  static func isRetryable(_ error: any Error) -> Bool {
    if let sqlite = error as? SQLiteError {
      switch sqlite.reason {
      case .busy, .locked, .lockedBySharedCache, .busyTimeout: return true
      default: break
      }
    }
    if let database = error as? any DatabaseError, database.isConstraintFailure { return true }
    return false
  }
}
