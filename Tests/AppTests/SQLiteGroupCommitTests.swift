import CSQLiteShared
import Fluent
import Foundation
import Jobs
import NIOPosix
import SQLKit
import Testing
import Vapor

@testable import App

/// The process's SQLite writer (`SQLiteGroupCommit` behind `writeTransaction`): concurrent
/// writes share commits, a failing one rolls back alone, a write asked for inside another joins
/// it, the job queue writes through it, and a second process can write to the file meanwhile.
@Suite struct SQLiteGroupCommitTests {
  struct Refused: Error {}

  @Test func concurrentWritesShareCommitsAndAllLand() async throws {
    try await withSQLiteFile { app in
      let before = try writer(of: app).counts
      try await withThrowingTaskGroup(of: Void.self) { group in
        for index in 0..<64 {
          group.addTask { try await insertAttempt("user\(index)@example.com", on: app.db) }
        }
        try await group.waitForAll()
      }
      let after = try writer(of: app).counts
      #expect(try await attempts(on: app.db).count == 64)
      #expect(after.writes - before.writes == 64)
      // Sixty-four requests at once cannot each have had a commit of their own.
      #expect(after.groups - before.groups < 64, "\(after)")
      // Operators see the same figures (with the writes of the request's own sign-in).
      let metrics = try await TestContext(app: app).send(.GET, "/metrics").bodyString
      let shown = { (name: String) -> Int in
        metrics.split(separator: "\n").first { $0.hasPrefix("promptsmith_sqlite_writer_\(name) ") }
          .flatMap { Double($0.split(separator: " ")[1]) }.map { Int($0) } ?? -1
      }
      #expect(shown("writes_total") >= after.writes)
      #expect((after.groups...after.groups + 5).contains(shown("commits_total")))
    }
  }

  @Test func aFailingWriteRollsBackAloneAndTheOthersLand() async throws {
    try await withSQLiteFile { app in
      let refused = try await refusedWrites(24) { index in
        try await app.db.writeTransaction { transaction in
          try await insertAttempt("user\(index)@example.com", on: transaction)
          if index.isMultiple(of: 5) { throw Refused() }
        }
      }
      #expect(refused == Set((0..<24).filter { $0.isMultiple(of: 5) }))
      let stored = Set(try await attempts(on: app.db))
      #expect(
        stored == Set((0..<24).filter { !refused.contains($0) }.map { "user\($0)@example.com" }))
    }
  }

  @Test func directWritesShareCommitsAndAFailingOneRollsBackAlone() async throws {
    try await withSQLiteFile { app in
      let writer = try writer(of: app)
      let before = writer.counts
      let refused = try await refusedWrites(48) { index in
        if index.isMultiple(of: 2) {
          try await writer.direct { connection in
            _ = try connection.rows(Self.insertSQL, Self.values("user\(index)@example.com"))
            if index.isMultiple(of: 5) { throw Refused() }
          }
        } else {
          // The other kind, at the same time: the groups take turns.
          try await insertAttempt("user\(index)@example.com", on: app.db)
        }
      }
      #expect(refused == Set((0..<48).filter { $0.isMultiple(of: 10) }))
      let stored = Set(try await attempts(on: app.db))
      #expect(
        stored == Set((0..<48).filter { !refused.contains($0) }.map { "user\($0)@example.com" }))
      let after = writer.counts
      #expect(after.writes - before.writes == 48 - refused.count)
      #expect(after.groups - before.groups < 48 - refused.count, "\(after)")
    }
  }

  @Test func aDirectWriteThatBreaksAConstraintIsRefusedAlone() async throws {
    try await withSQLiteFile { app in
      let writer = try writer(of: app)
      // A generation event for a version that does not exist: the foreign key refuses it.
      let error = await #expect(throws: SQLiteDirectError.self) {
        try await writer.direct { connection in
          _ = try connection.rows(
            "INSERT INTO generation_events (id, company_id, prompt_version_id, template_id, user_id, tokens_in, timestamp) VALUES (?1, ?2, ?3, ?4, ?5, 1, 0)",
            [.uuid(UUID()), .uuid(UUID()), .uuid(UUID()), .uuid(UUID()), .uuid(UUID())])
        }
      }
      #expect(error?.code == 787, "\(String(describing: error))")  // SQLITE_CONSTRAINT_FOREIGNKEY
      let id = UUID()
      try await writer.direct { connection in
        _ = try connection.rows(
          Self.insertSQL, [.uuid(id), .text("after@example.com"), .date(Date())])
      }
      #expect(try await attempts(on: app.db) == ["after@example.com"])
      // Bound as SQLKit binds a UUID: its uppercase text.
      let found = try await app.db.sql.raw(
        "SELECT email FROM login_attempts WHERE id = \(bind: id)"
      ).first()
      #expect(try found?.decode(column: "email", as: String.self) == "after@example.com")
      #expect(
        try await app.db.sql.raw("SELECT id FROM login_attempts").first()?
          .decode(column: "id", as: String.self) == id.uuidString)
    }
  }

  @Test func aGenerationIsWrittenByTheDirectLane() async throws {
    try await withSQLiteFile { app in
      let f = try await MCPFixture.make(try await TestContext(app: app))
      let issue = try #require(
        try await Issue.query(on: app.db).filter(\.$externalKey == "PS-1").first())
      let template = try #require(try await PromptTemplate.query(on: app.db).first())
      let writer = try writer(of: app)
      let readers = try #require(SQLiteWriterSetup.writer(of: app.db)?.readers)
      let before = writer.counts.writes
      // The same prompt four times: each run reuses the statements the first one prepared.
      for _ in 0..<4 {
        let response = try await f.ctx.send(
          .POST, "/prompts/generate", token: f.developerToken,
          object: [
            "issueId": try issue.requireID().uuidString,
            "templateId": try template.requireID().uuidString, "vars": ["tests": true],
          ])
        #expect(response.status == .created)
      }
      #expect(writer.counts.writes == before + 4)
      let stored = try await PromptVersion.query(on: app.db).sort(\.$version).all()
      #expect(stored.map(\.version) == [1, 2, 3, 4])
      // Prepared once, never compiled again on the writer's connection.
      #expect(try await writer.direct { $0.reprepares } == 0)
      // The read connections' too, but for a rare once-off: with several suites running side
      // by side, SQLite has now and then compiled one of them (`BEGIN`) a second time, for a
      // reason not found yet. Compiled at each use, the five statements of each of four
      // generations would count at least twenty.
      #expect(try await readers.reprepares() <= 2)
    }
  }

  @Test func theLogIsCopiedIntoTheFileOffTheWritersThread() async throws {
    try await withSQLiteFileAt { app, path in
      let carrier = try #require(SQLiteWriterSetup.writer(of: app.db))
      let writer = try #require(carrier.group)
      let checkpointer = try #require(carrier.checkpointer)
      let before = try Self.fileSize(path)
      // A fifth more pages of log than a checkpoint waits for: 64 writes, eight at a time.
      let padding = String(
        repeating: "x", count: SQLiteCheckpointer.pagesBeforeCheckpoint * 4096 * 6 / 5 / 64)
      for batch in 0..<8 {
        try await withThrowingTaskGroup(of: Void.self) { group in
          for index in 0..<8 {
            group.addTask {
              try await writer.direct { connection in
                _ = try connection.rows(
                  Self.insertSQL, Self.values("\(batch)-\(index)@example.com\(padding)"))
              }
            }
          }
          try await group.waitForAll()
        }
      }
      for _ in 0..<100 where checkpointer.checkpoints == 0 {
        try await Task.sleep(for: .milliseconds(50))
      }
      #expect(checkpointer.checkpoints >= 1)
      // The copying yields to the requests' threads.
      #if os(Linux)
        #expect(try await checkpointer.niceValue() == 10)
      #endif
      // The rows reached the database file itself, not only its log.
      #expect(try Self.fileSize(path) - before > 4_000_000)
      #expect(try await attempts(on: app.db).count == 64)
      // Once all of it is copied, a write starts the log again from its beginning, which keeps
      // the log's file from growing without end.
      for attempt in 0..<100 where checkpointer.restarts == 0 {
        try await writer.direct { connection in
          _ = try connection.rows(Self.insertSQL, Self.values("after\(attempt)@example.com"))
        }
        try await Task.sleep(for: .milliseconds(50))
      }
      #expect(checkpointer.restarts >= 1, "\(checkpointer.state)")
      // The checkpointer's own sync of the file goes through SQLite's file object.
      let direct = try SQLiteDirectConnection(path: path, busyTimeout: .seconds(1))
      #expect(throws: Never.self) { try direct.syncDatabaseFile() }
      let metrics = try await TestContext(app: app).send(.GET, "/metrics").bodyString
      #expect(metrics.contains("promptsmith_sqlite_writer_checkpoints_total "))
      #expect(metrics.contains("promptsmith_sqlite_writer_log_restarts_total "))
      // Fluent's writer connection checkpoints by itself only past four times that.
      let automatic = try await app.db.writeTransaction { database in
        try await database.sql.raw("PRAGMA wal_autocheckpoint").first()?
          .decode(column: "wal_autocheckpoint", as: Int.self)
      }
      #expect(automatic == 4 * SQLiteCheckpointer.pagesBeforeCheckpoint)
    }
  }

  static func fileSize(_ path: String) throws -> Int {
    try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
  }

  static let insertSQL = """
    INSERT INTO login_attempts (id, email, ip_bucket, outcome, created_at)
    VALUES (?1, ?2, NULL, 'failed', ?3)
    """

  static func values(_ email: String) -> [BoundValue] {
    [.uuid(UUID()), .text(email), .date(Date())]
  }

  @Test func aWriteAskedForInsideAnotherJoinsItAndRollsBackWithIt() async throws {
    try await withSQLiteFile { app in
      // On the outer handle, as a service holding `req.db` would: it must not wait for a group
      // that waits for it.
      try await app.db.writeTransaction { transaction in
        try await insertAttempt("outer@example.com", on: transaction)
        try await app.db.writeTransaction { try await insertAttempt("nested@example.com", on: $0) }
        try await app.db.singleWrite { try await insertAttempt("single@example.com", on: $0) }
      }
      #expect(
        Set(try await attempts(on: app.db))
          == ["outer@example.com", "nested@example.com", "single@example.com"])

      await #expect(throws: Refused.self) {
        try await app.db.writeTransaction { transaction in
          try await app.db.writeTransaction { try await insertAttempt("gone@example.com", on: $0) }
          throw Refused()
        }
      }
      #expect(!(try await attempts(on: app.db)).contains("gone@example.com"))

      // A direct write cannot join a Fluent transaction: refused, not a hang.
      let writer = try writer(of: app)
      await #expect(throws: NestedDirectWrite.self) {
        try await app.db.writeTransaction { _ in
          try await writer.direct { connection in
            _ = try connection.rows(Self.insertSQL, Self.values("never@example.com"))
          }
        }
      }
    }
  }

  @Test func theJobQueueWritesThroughTheWriter() async throws {
    try await withSQLiteFile { app in
      let queue = app.jobs.queue
      #expect(queue.sqliteWriter != nil)
      let before = try writer(of: app).counts.writes
      try await queue.enqueue(.test, payload: ["n": "1"])
      #expect(try writer(of: app).counts.writes == before + 1)
    }
  }

  @Test func anotherProcessWritesToTheFileMeanwhile() async throws {
    try await withSQLiteFileAt { app, path in
      // A second application on the same file, as `user create` or a `worker` runs beside
      // `serve`: each has its own writer, and they take turns on the file's lock.
      let other = try await Application.make(.testing)
      do {
        try await configure(other, config: testConfig(.sqliteFile(path: path)))
        try await withThrowingTaskGroup(of: Void.self) { group in
          for index in 0..<40 {
            let database = index.isMultiple(of: 2) ? app.db : other.db
            group.addTask { try await insertAttempt("user\(index)@example.com", on: database) }
          }
          try await group.waitForAll()
        }
      } catch {
        try await other.asyncShutdown()
        throw error
      }
      try await other.asyncShutdown()
      #expect(try await attempts(on: app.db).count == 40)
    }
  }

  /// The writer's connection writes each commit's log frames with one `pwrite`
  /// (`batched_wal.c`), and what it committed is there for the other connections and after
  /// a reopening.
  @Test func theWritersLogFramesGoOutTogether() async throws {
    #expect(SQLiteDirectConnection.batchedWALVFS == PS_BATCHED_WAL_VFS)
    try await withSQLiteFileAt { app, path in
      let writer = try writer(of: app)
      // Read on the writer's thread: the counts are per thread.
      let before = try await writer.direct { _ in ps_batched_wal_statistics() }
      try await withThrowingTaskGroup(of: Void.self) { group in
        for index in 0..<40 {
          group.addTask {
            try await writer.direct { connection in
              _ = try connection.rows(Self.insertSQL, Self.values("user\(index)@example.com"))
            }
          }
        }
        try await group.waitForAll()
      }
      let after = try await writer.direct { _ in ps_batched_wal_statistics() }
      let (writes, flushes) = (after.writes - before.writes, after.flushes - before.flushes)
      // A commit is at least two frames, each a header and a page: four writes, one flush.
      #expect(flushes > 0 && writes >= 4 * flushes, "\(writes) writes, \(flushes) flushes")
      #expect(try await attempts(on: app.db).count == 40)
      let reopened = try SQLiteDirectConnection(path: path, busyTimeout: .seconds(1))
      #expect(
        try reopened.rows("SELECT COUNT(*) AS n FROM login_attempts", [])[0]
          .decode(column: "n", as: Int.self) == 40)
    }
  }

  struct CountAttempts: FixedStatement {
    static let sql = "SELECT COUNT(*) AS n FROM login_attempts"
    var values: [BoundValue] { [] }
  }

  struct ReadMissingTable: FixedStatement {
    static let sql = "SELECT * FROM no_such_table"
    var values: [BoundValue] { [] }
  }

  /// Two reads in one read transaction: a failing second read ends it, and the reader then
  /// sees the commits made after, rather than staying on the failed read's snapshot.
  @Test func aFailedPairOfReadsLeavesNoReadTransactionOpen() async throws {
    try await withSQLiteFileAt { app, _ in
      let writer = try writer(of: app)
      let readers = try #require(SQLiteWriterSetup.writer(of: app.db)?.readers)
      for _ in 0..<4 {
        // Every reader in turn.
        await #expect(throws: (any Error).self) {
          _ = try await readers.rows(CountAttempts(), ReadMissingTable())
        }
      }
      try await writer.direct { connection in
        _ = try connection.rows(Self.insertSQL, Self.values("after@example.com"))
      }
      for _ in 0..<4 {
        let (rows, _) = try await readers.rows(CountAttempts(), CountAttempts())
        #expect(try rows[0].decode(column: "n", as: Int.self) == 1)
      }
    }
  }

  @Test func directWritesAreAnsweredWhenTheLaneCannotOpenItsFileOrHasStopped() async throws {
    let threadPool = NIOThreadPool(numberOfThreads: 1)
    threadPool.start()
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("promptsmith-missing-\(UUID().uuidString)")
    let path = folder.appendingPathComponent("db.sqlite").path
    let thread = SQLiteWriterThread(
      threadPool: threadPool, path: path,
      checkpointer: SQLiteCheckpointer(path: path, logger: Logger(label: "test")))
    let writer = AppWriteGroup(
      lease: { _ in throw Refused() }, lane: thread, sql: { $0.sql })
    // The folder does not exist: every write of every group gets the error, none waits.
    for _ in 0..<2 {
      await withThrowingTaskGroup(of: Void.self) { group in
        for _ in 0..<8 {
          group.addTask {
            await #expect(throws: SQLiteDirectError.self) {
              try await writer.direct { connection in _ = try connection.rows("SELECT 1", []) }
            }
          }
        }
      }
    }
    // Once the file can be created, the next group opens it.
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let one = try await writer.direct { connection in
      try connection.rows("SELECT 1 AS one", [])[0].decode(column: "one", as: Int.self)
    }
    #expect(one == 1)
    await thread.close()
    try await threadPool.shutdownGracefully()
    await #expect(throws: SQLiteWriterClosed.self) {
      try await writer.direct { connection in _ = try connection.rows("SELECT 1", []) }
    }
  }

  // MARK: - Helpers

  /// Runs `write(0..<count)` all at once; the indices whose write threw `Refused`.
  private func refusedWrites(
    _ count: Int, _ write: @escaping @Sendable (Int) async throws -> Void
  ) async throws -> Set<Int> {
    try await withThrowingTaskGroup(of: Int?.self) { group in
      for index in 0..<count {
        group.addTask {
          do {
            try await write(index)
            return nil
          } catch is Refused {
            return index
          }
        }
      }
      return try await group.reduce(into: Set<Int>()) { if let index = $1 { $0.insert(index) } }
    }
  }

  private func writer(of app: Application) throws -> AppWriteGroup {
    try #require(SQLiteWriterSetup.writer(of: app.db)?.group)
  }
}

private func insertAttempt(_ email: String, on database: any Database) async throws {
  try await database.singleWrite { database in
    try await database.sql.insert(into: "login_attempts")
      .columns("id", "email", "ip_bucket", "outcome", "created_at")
      .values(
        SQLBind(UUID()), SQLBind(email), SQLBind(nil as String?), SQLBind("failed"), SQLBind(Date())
      )
      .run()
  }
}

private func attempts(on database: any Database) async throws -> [String] {
  try await database.sql.select().column("email").from("login_attempts").all()
    .map { try $0.decode(column: "email", as: String.self) }
}
