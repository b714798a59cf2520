import Fluent
import Foundation
import Jobs
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
    }
  }

  @Test func aFailingWriteRollsBackAloneAndTheOthersLand() async throws {
    try await withSQLiteFile { app in
      let outcomes = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
        for index in 0..<24 {
          group.addTask {
            do {
              try await app.db.writeTransaction { transaction in
                try await insertAttempt("user\(index)@example.com", on: transaction)
                if index.isMultiple(of: 5) { throw Refused() }
              }
              return (index, true)
            } catch is Refused {
              return (index, false)
            }
          }
        }
        return try await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
      }
      let refused = Set(outcomes.filter { !$0.value }.keys)
      #expect(refused == Set((0..<24).filter { $0.isMultiple(of: 5) }))
      let stored = Set(try await attempts(on: app.db))
      #expect(
        stored == Set((0..<24).filter { !refused.contains($0) }.map { "user\($0)@example.com" }))
    }
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

  // MARK: - Helpers

  private func withSQLiteFile(_ body: (Application) async throws -> Void) async throws {
    try await withSQLiteFileAt { app, _ in try await body(app) }
  }

  /// An application on a WAL file of its own, as `serve` runs the embedded default.
  private func withSQLiteFileAt(_ body: (Application, String) async throws -> Void) async throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("promptsmith-group-commit-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("db.sqlite").path
    let app = try await Application.make(.testing)
    do {
      try await configure(app, config: testConfig(.sqliteFile(path: path)))
      try await Migrate.run(app)
      try await body(app, path)
    } catch {
      try await app.asyncShutdown()
      throw error
    }
    try await app.asyncShutdown()
  }

  private func writer(of app: Application) throws -> SQLiteGroupCommit<any Database> {
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
