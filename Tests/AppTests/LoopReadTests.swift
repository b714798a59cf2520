import Foundation
import NIOPosix
import SQLKit
import Testing
import Vapor

@testable import App

/// Reads by key asked for on one of the application's event loops are read there, on that
/// loop's own connection (`SQLiteReaders`); every other read goes to a reader's thread.
@Suite struct LoopReadTests {
  struct CountByKey: FixedStatement {
    static let readsByKey = true
    static let sql = "SELECT COUNT(*) AS n FROM login_attempts"
    var values: [BoundValue] { [] }
  }

  struct MissingTableByKey: FixedStatement {
    static let readsByKey = true
    static let sql = "SELECT * FROM no_such_table"
    var values: [BoundValue] { [] }
  }

  @Test func readsByKeyOnARequestLoopAreReadThereAndOthersOnAReader() async throws {
    try await withSQLiteFile { app in
      let readers = try #require(SQLiteWriterSetup.writer(of: app.db)?.readers)
      let loop = app.eventLoopGroup.next()
      let (reads, onLoops) = (readers.reads, readers.readsOnLoops)
      try await withTaskExecutorPreference(EventLoopTaskExecutor(loop)) {
        let rows = try await readers.rows(CountByKey())
        #expect(loop.inEventLoop)
        #expect(try rows[0].decode(column: "n", as: Int.self) == 0)
        // A statement that is not a read by key still goes to a reader.
        _ = try await readers.rows(SQLiteGroupCommitTests.CountAttempts())
      }
      #expect(readers.reads - reads == 2)
      #expect(readers.readsOnLoops - onLoops == 1)
      // Off the application's loops, a reader reads.
      _ = try await Task.detached { try await readers.rows(CountByKey()) }.value
      #expect(readers.reads - reads == 3)
      #expect(readers.readsOnLoops - onLoops == 1)
    }
  }

  /// A loop's connection sees each commit, and a failed pair of reads leaves no read
  /// transaction open on it (which would hold it on one snapshot for good).
  @Test func aLoopsConnectionSeesNewCommitsAfterAFailedRead() async throws {
    try await withSQLiteFile { app in
      let readers = try #require(SQLiteWriterSetup.writer(of: app.db)?.readers)
      let writer = try #require(SQLiteWriterSetup.writer(of: app.db)?.group)
      let loop = app.eventLoopGroup.next()
      let onLoops = readers.readsOnLoops
      try await withTaskExecutorPreference(EventLoopTaskExecutor(loop)) {
        await #expect(throws: (any Error).self) {
          _ = try await readers.rows(together: [CountByKey(), MissingTableByKey()])
        }
        try await writer.direct { connection in
          _ = try connection.rows(
            SQLiteGroupCommitTests.insertSQL, SQLiteGroupCommitTests.values("seen@example.com"))
        }
        let rows = try await readers.rows(CountByKey())
        #expect(try rows[0].decode(column: "n", as: Int.self) == 1)
      }
      #expect(readers.readsOnLoops - onLoops == 2)
    }
  }
}
