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
///
/// Reads of a few rows by key (`FixedStatement.readsByKey`: a session, a generation's issue
/// and template) asked for on one of the application's event loops are read there, on a
/// connection of that loop's own: tens of microseconds, less than the hand-over to a reader's
/// thread and back costs the loop (docs/performance.md, round 9).
final class SQLiteReaders: Sendable {
  private final class Reader: ConnectionSlot, @unchecked Sendable {
    let threadPool = NIOThreadPool(numberOfThreads: 1)
    /// Touched only on the reader's thread.
    var connection: SQLiteDirectConnection?
  }

  /// An event loop's own connection.
  private final class LoopReader: ConnectionSlot, @unchecked Sendable {
    /// Touched only on the loop's thread (and at shutdown, when no request runs).
    var connection: SQLiteDirectConnection?
  }

  private let readers: [Reader]
  /// The application's event loops, by identity; fixed at init, so read without a lock.
  private let loopReaders: [ObjectIdentifier: LoopReader]
  private let path: String
  private let turn = NIOLockedValueBox(0)
  private let readCount = Atomic<Int>(0)

  /// - Parameters:
  ///   - count: The readers' threads.
  ///   - loops: The event loops that read by key on connections of their own.
  init(path: String, count: Int, loops: [any EventLoop] = []) {
    self.path = path
    readers = (0..<max(1, count)).map { _ in Reader() }
    loopReaders = Dictionary(
      loops.map { (ObjectIdentifier($0), LoopReader()) }, uniquingKeysWith: { first, _ in first })
    for reader in readers { reader.threadPool.start() }
  }

  /// The statement's rows, read on the next reader (a read by key on the asking loop).
  func rows(_ statement: some FixedStatement) async throws -> [any SQLRow] {
    let (sql, values) = (type(of: statement).directSQL, statement.values)
    return try await read(byKey: type(of: statement).readsByKey) { try $0.rows(sql, values) }
  }

  /// Both statements' rows, read one after the other in one job of the next reader (or on the
  /// asking loop, both being reads by key): one hand-over there and back, not one per statement.
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
    let byKey = statements.allSatisfy { type(of: $0).readsByKey }
    return try await read(byKey: byKey) { connection in
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

  /// The reads done, on the readers' threads or the loops': a test counts the reads a request
  /// costs.
  var reads: Int { readCount.load(ordering: .relaxed) }

  /// The reads done on an event loop's own connection.
  var readsOnLoops: Int { loopReadCount.load(ordering: .relaxed) }
  private let loopReadCount = Atomic<Int>(0)

  private func read<Result: Sendable>(
    byKey: Bool, _ body: @escaping @Sendable (SQLiteDirectConnection) throws -> Result
  ) async throws -> Result {
    readCount.add(1, ordering: .relaxed)
    if byKey, let loop = MultiThreadedEventLoopGroup.currentEventLoop,
      let loopReader = loopReaders[ObjectIdentifier(loop)]
    {
      loopReadCount.add(1, ordering: .relaxed)
      return try Self.read(with: loopReader, path: path, body)
    }
    let reader = readers[
      turn.withLockedValue { turn in
        defer { turn = (turn + 1) % readers.count }
        return turn
      }]
    let path = path
    return try await reader.threadPool.runIfActive {
      try Self.read(with: reader, path: path, body)
    }
  }

  /// Runs `body` on the slot's connection, opened first if need be.
  private static func read<Result>(
    with slot: some ConnectionSlot, path: String,
    _ body: (SQLiteDirectConnection) throws -> Result
  ) throws -> Result {
    let connection =
      try slot.connection
      ?? SQLiteDirectConnection(path: path, busyTimeout: .seconds(10), readOnly: true)
    slot.connection = connection
    // A transaction the read could not end (it failed, and so did its rollback) would keep
    // this connection on one snapshot, and the log from being checkpointed past it, for good:
    // the connection is closed instead, and the next read opens another.
    defer { if connection.isInTransaction { slot.connection = nil } }
    return try body(connection)
  }

  /// The readers' statements compiled again since their first preparation (see
  /// `SQLiteDirectConnection.reprepares`); the loops' connections counted while no request
  /// reads.
  func reprepares() async throws -> Int {
    var total = loopReaders.values.reduce(0) { $0 + ($1.connection?.reprepares ?? 0) }
    for reader in readers {
      total += try await reader.threadPool.runIfActive { reader.connection?.reprepares ?? 0 }
    }
    return total
  }

  /// Closes the connections on their threads, then stops the threads; the loops' connections
  /// once no request reads any more.
  func shutdown() async {
    for reader in readers {
      _ = try? await reader.threadPool.runIfActive { reader.connection = nil }
      try? await reader.threadPool.shutdownGracefully()
    }
    for loopReader in loopReaders.values { loopReader.connection = nil }
  }
}

/// Where a connection is kept between reads.
private protocol ConnectionSlot: AnyObject {
  var connection: SQLiteDirectConnection? { get set }
}
