import SQLKit

/// The queue's writes on SQLite when it has no `SQLiteGroupCommit` (its own tests' worker, the
/// schema's setup): one connection, one writer per process, a busy timeout.
///
/// SQLite has a single writer. Within a process these writes take turns on an async lock
/// instead of blocking the few threads SQLiteNIO runs on while they wait for the file lock;
/// across processes (a `worker` beside `serve`) `PRAGMA busy_timeout` makes a writer wait for
/// the lock instead of failing with `SQLITE_BUSY` (SQLiteNIO's own busy handler would spin).
public enum SQLiteWriter {
  /// One lock for the process: SQLite serialises writers to a file anyway.
  static let gate = AsyncMutex()

  /// Runs `body` on one connection with the busy timeout set, holding the process's lock.
  static func write<Result: Sendable>(
    on database: any SQLDatabase,
    busyTimeout: Duration,
    _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
  ) async throws -> Result {
    try await gate.withLock {
      try await database.withSession { session in
        try await setBusyTimeout(busyTimeout, on: session)
        return try await body(session)
      }
    }
  }

  /// Runs `body` in a transaction begun with `BEGIN IMMEDIATE`, which takes the write lock at
  /// once: a deferred `BEGIN` that reads and then writes fails with `SQLITE_BUSY` when another
  /// connection wrote in between, and the busy timeout cannot help it.
  static func immediateTransaction<Result: Sendable>(
    on database: any SQLDatabase,
    busyTimeout: Duration,
    _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
  ) async throws -> Result {
    try await write(on: database, busyTimeout: busyTimeout) { session in
      try await runImmediate(on: session) { try await body(session) }
    }
  }

  /// The transaction itself, on a connection the caller holds and under the process's lock.
  static func runImmediate<Result: Sendable>(
    on session: any SQLDatabase, _ body: () async throws -> Result
  ) async throws -> Result {
    try await session.raw("BEGIN IMMEDIATE").run()
    do {
      let result = try await body()
      try await session.raw("COMMIT").run()
      return result
    } catch {
      try? await session.raw("ROLLBACK").run()
      throw error
    }
  }

  /// Makes the connection wait up to `timeout` for another process's write lock (SQLite's
  /// sleeping handler) instead of failing or spinning.
  public static func setBusyTimeout(_ timeout: Duration, on session: any SQLDatabase) async throws {
    let milliseconds = Int(timeout.timeInterval * 1000)
    try await session.raw("PRAGMA busy_timeout = \(unsafeRaw: String(milliseconds))").run()
  }
}
