import Fluent
import Foundation
import NIOConcurrencyHelpers
import NIOPosix
import SQLKit
import Synchronization

/// Read-only connections of their own, each on its own thread, for the statements the hot
/// paths read with (`FixedStatement` outside a write transaction).
///
/// Fluent's SQLite pool keeps one connection per event loop, so every read of the requests on
/// a loop queues for it, holds it while its answer waits for that busy loop, and is prepared
/// anew. Here a read is one job on a reader's thread with its statement prepared once; the
/// readers take turns. WAL lets them read beside the writer, each statement from the last
/// commit. `PRAGMA query_only` makes a write sent here an error rather than a second writer.
final class SQLiteReaders: Sendable {
  private final class Reader: @unchecked Sendable {
    let threadPool = NIOThreadPool(numberOfThreads: 1)
    /// Touched only on the reader's thread.
    var connection: SQLiteDirectConnection?
  }

  private let readers: [Reader]
  private let path: String
  private let turn = NIOLockedValueBox(0)
  private let jobCount = Atomic<Int>(0)

  init(path: String, count: Int) {
    self.path = path
    readers = (0..<max(1, count)).map { _ in Reader() }
    for reader in readers { reader.threadPool.start() }
  }

  /// The statement's rows, read on the next reader.
  func rows(_ statement: some FixedStatement) async throws -> [any SQLRow] {
    let (sql, values) = (type(of: statement).directSQL, statement.values)
    return try await read { try $0.rows(sql, values) }
  }

  /// Both statements' rows, read one after the other in one job of the next reader: one
  /// thread hand-over there and back instead of one per statement.
  func rows(_ first: some FixedStatement, _ second: some FixedStatement) async throws
    -> ([any SQLRow], [any SQLRow])
  {
    let rows = try await rows(together: [first, second])
    return (rows[0], rows[1])
  }

  /// Each statement's rows, read one after the other in one job of the next reader. In one
  /// read transaction, so all see the same commit, and the connection's page cache, which
  /// SQLite drops at each read transaction that follows another connection's commit, is
  /// dropped once, not once per statement.
  func rows(together statements: [any FixedStatement]) async throws -> [[any SQLRow]] {
    let prepared = statements.map { (type(of: $0).directSQL, $0.values) }
    return try await read { connection in
      try connection.execute("BEGIN")
      do {
        let rows: [[any SQLRow]] = try prepared.map { try connection.rows($0.0, $0.1) }
        try connection.execute("COMMIT")
        return rows
      } catch {
        try? connection.execute("ROLLBACK")
        throw error
      }
    }
  }

  /// The jobs the readers have been given: a test counts the hand-overs a request costs.
  var jobs: Int { jobCount.load(ordering: .relaxed) }

  private func read<Result: Sendable>(
    _ body: @escaping @Sendable (SQLiteDirectConnection) throws -> Result
  ) async throws -> Result {
    jobCount.add(1, ordering: .relaxed)
    let reader = readers[
      turn.withLockedValue { turn in
        defer { turn = (turn + 1) % readers.count }
        return turn
      }]
    let path = path
    return try await reader.threadPool.runIfActive {
      let connection =
        try reader.connection
        ?? SQLiteDirectConnection(path: path, busyTimeout: .seconds(10), readOnly: true)
      reader.connection = connection
      // A transaction the job could not end (it failed, and so did its rollback) would keep
      // this reader on one snapshot, and the log from being checkpointed past it, for good:
      // the connection is closed instead, and the next job opens another.
      defer { if connection.isInTransaction { reader.connection = nil } }
      return try body(connection)
    }
  }

  /// The readers' statements compiled again since their first preparation (see
  /// `SQLiteDirectConnection.reprepares`).
  func reprepares() async throws -> Int {
    var total = 0
    for reader in readers {
      total += try await reader.threadPool.runIfActive { reader.connection?.reprepares ?? 0 }
    }
    return total
  }

  /// Closes the connections on their threads, then stops the threads.
  func shutdown() async {
    for reader in readers {
      _ = try? await reader.threadPool.runIfActive { reader.connection = nil }
      try? await reader.threadPool.shutdownGracefully()
    }
  }
}
