import Fluent
import Jobs
import SQLKit
import Vapor

extension Database {
  /// A write transaction: PostgreSQL's ordinary one; on SQLite, a place in the process's next
  /// group commit (`SQLiteGroupCommit`), answered once that group is durably committed.
  ///
  /// On SQLite a deferred `BEGIN` that reads and then writes fails at once (`SQLITE_BUSY`, or
  /// `busyInSnapshot` under WAL) when another connection wrote in between, and no busy handler
  /// can help it; and sixteen requests each beginning, syncing and committing alone spend most
  /// of their time waiting for one another (docs/performance.md). The group runs the bodies
  /// one after another on the writer's connection under one `BEGIN IMMEDIATE`, each in a
  /// savepoint, so a body that throws leaves nothing behind. A body must not wait on the network
  /// or start another write transaction on a different database handle: the group waits for it.
  func writeTransaction<Result: Sendable>(
    _ body: @escaping @Sendable (any Database) async throws -> Result
  ) async throws -> Result {
    guard self.engine == .sqlite else {
      return try await transaction(body)
    }
    guard let carrier = SQLiteWriterSetup.writer(of: self) else {
      throw Abort(.internalServerError, reason: "No SQLite writer for this database")
    }
    guard let group = carrier.group else {
      // Already inside the group's transaction, on the writer's connection.
      return try await body(self)
    }
    return try await group.transaction(body)
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

extension Database {
  /// A write that needs no transaction of its own (one statement, or statements whose order
  /// alone is enough): as it is on PostgreSQL, and on SQLite through the process's writer like
  /// every other write, so that it never contends with the writer for the file's lock.
  func singleWrite<Result: Sendable>(
    _ body: @escaping @Sendable (any Database) async throws -> Result
  ) async throws -> Result {
    guard self.engine == .sqlite else { return try await body(self) }
    return try await writeTransaction(body)
  }
}
