import Fluent
import Foundation
import Jobs
import Logging
import NIOPosix
import SQLKit
import Testing
import Vapor

@testable import App

/// `SQLiteGroupCommit.announcingWrite`: a direct group about to commit waits for the writes
/// announced to it, and for nothing else. The writer here waits up to five seconds, so that a
/// wait that should not happen shows in the time, and one that should is not cut short.
@Suite struct AnnouncedWriteTests {
  static let longWait = Duration.seconds(5)

  @Test func aGroupWaitsForTheWriteAnnouncedToItAndCommitsBothAtOnce() async throws {
    try await withLongWaitingWriter { writer, app in
      let (announced, markAnnounced) = AsyncStream<Void>.makeStream()
      let (gate, openGate) = AsyncStream<Void>.makeStream()
      let before = writer.counts
      async let late: Void = writer.announcingWrite {
        markAnnounced.yield()
        for await _ in gate { break }
        try await writer.direct { connection in
          _ = try connection.rows(
            SQLiteGroupCommitTests.insertSQL, SQLiteGroupCommitTests.values("late@example.com"))
        }
      }
      for await _ in announced { break }
      let started = ContinuousClock.now
      async let early: Void = writer.direct { connection in
        _ = try connection.rows(
          SQLiteGroupCommitTests.insertSQL, SQLiteGroupCommitTests.values("early@example.com"))
      }
      // The early write waits for the announced one rather than committing alone.
      try await Task.sleep(for: .milliseconds(200))
      #expect(writer.counts == before)
      openGate.yield()
      _ = try await (early, late)
      #expect(ContinuousClock.now - started < Self.longWait)
      #expect(writer.counts.groups == before.groups + 1)
      #expect(writer.counts.writes == before.writes + 2)
      #expect(try await emails(on: app.db) == ["early@example.com", "late@example.com"])
    }
  }

  @Test func anAnnouncementThatEndsWithoutAWriteReleasesTheGroup() async throws {
    try await withLongWaitingWriter { writer, app in
      let (announced, markAnnounced) = AsyncStream<Void>.makeStream()
      let (gate, openGate) = AsyncStream<Void>.makeStream()
      let refused = Task {
        try await writer.announcingWrite {
          markAnnounced.yield()
          for await _ in gate { break }
          throw SQLiteGroupCommitTests.Refused()
        }
      }
      for await _ in announced { break }
      let started = ContinuousClock.now
      async let waiting: Void = writer.direct { connection in
        _ = try connection.rows(
          SQLiteGroupCommitTests.insertSQL, SQLiteGroupCommitTests.values("alone@example.com"))
      }
      try await Task.sleep(for: .milliseconds(100))
      openGate.yield()
      await #expect(throws: SQLiteGroupCommitTests.Refused.self) { try await refused.value }
      try await waiting
      #expect(ContinuousClock.now - started < .seconds(2))
      #expect(try await emails(on: app.db) == ["alone@example.com"])
    }
  }

  @Test func aLoneAnnouncedWriteAndUnannouncedWritesCommitAtOnce() async throws {
    try await withLongWaitingWriter { writer, app in
      let started = ContinuousClock.now
      try await writer.announcingWrite {
        try await writer.direct { connection in
          _ = try connection.rows(
            SQLiteGroupCommitTests.insertSQL, SQLiteGroupCommitTests.values("one@example.com"))
        }
        // A second write of the same announcement is not waited for either.
        try await writer.direct { connection in
          _ = try connection.rows(
            SQLiteGroupCommitTests.insertSQL, SQLiteGroupCommitTests.values("two@example.com"))
        }
      }
      try await writer.direct { connection in
        _ = try connection.rows(
          SQLiteGroupCommitTests.insertSQL, SQLiteGroupCommitTests.values("three@example.com"))
      }
      #expect(ContinuousClock.now - started < .seconds(2))
      #expect(
        try await emails(on: app.db) == ["one@example.com", "three@example.com", "two@example.com"])
    }
  }

  @Test func generationsAnnounceTheirWritesAndAllLand() async throws {
    // A generation's store is the announced write: concurrent generations, new prompts and
    // the same prompt again, all land with distinct version numbers, and a lone one is not
    // held back by its own announcement.
    try await withSQLiteFile { app in
      let f = try await MCPFixture.make(try await TestContext(app: app))
      let issue = try #require(
        try await Issue.query(on: app.db).filter(\.$externalKey == "PS-1").first())
      let template = try #require(try await PromptTemplate.query(on: app.db).first())
      let body = try String(
        decoding: JSONSerialization.data(withJSONObject: [
          "issueId": try issue.requireID().lowercasedText,
          "templateId": try template.requireID().lowercasedText, "vars": ["tests": true],
        ]), as: UTF8.self)
      let headers: HTTPHeaders = ["Content-Type": "application/json"]
      let started = ContinuousClock.now
      let first = try await f.ctx.send(
        .POST, "/prompts/generate", token: f.developerToken, rawBody: body, headers: headers)
      #expect(first.status == .created)
      #expect(ContinuousClock.now - started < .seconds(2))
      let versions = try await withThrowingTaskGroup(of: Int.self) { group in
        for _ in 0..<12 {
          group.addTask {
            let response = try await f.ctx.send(
              .POST, "/prompts/generate", token: f.developerToken, rawBody: body,
              headers: headers)
            #expect(response.status == .created)
            return try response.content.decode(GenerationResponse.self).version
          }
        }
        return try await group.reduce(into: [Int]()) { $0.append($1) }
      }
      #expect(versions.sorted() == Array(2...13))
      #expect(try await PromptVersion.query(on: app.db).count() == 13)
      #expect(try await Prompt.query(on: app.db).count() == 1)
    }
  }

  /// A group commit like the application's, over its file, that waits `longWait` for
  /// announced writes.
  private func withLongWaitingWriter(
    _ body: (AppWriteGroup, Application) async throws -> Void
  ) async throws {
    try await withSQLiteFileAt { app, path in
      let threadPool = NIOThreadPool(numberOfThreads: 1)
      threadPool.start()
      let checkpointer = SQLiteCheckpointer(path: path, logger: Logger(label: "test"))
      let thread = SQLiteWriterThread(
        threadPool: threadPool, path: path, checkpointer: checkpointer)
      let writer = AppWriteGroup(
        announcedWait: Self.longWait,
        lease: { _ in throw SQLiteGroupCommitTests.Refused() }, lane: thread, sql: { $0.sql })
      do {
        try await body(writer, app)
      } catch {
        await thread.close()
        await checkpointer.shutdown()
        try await threadPool.shutdownGracefully()
        throw error
      }
      await thread.close()
      await checkpointer.shutdown()
      try await threadPool.shutdownGracefully()
    }
  }

  private func emails(on database: any Database) async throws -> [String] {
    try await database.sql.select().column("email").from("login_attempts").orderBy("email").all()
      .map { try $0.decode(column: "email", as: String.self) }
  }
}
