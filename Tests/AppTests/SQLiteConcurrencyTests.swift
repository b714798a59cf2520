import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

/// The embedded default under concurrent writers: on a WAL file, as `serve` runs it, concurrent
/// generations and uploads all succeed (none meets SQLite's single writer as a 500).
@Suite struct SQLiteConcurrencyTests {
  static let writes = 240

  @Test func concurrentWritesOnAnSQLiteFileAllSucceed() async throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("promptsmith-concurrency-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let app = try await Application.make(.testing)
    do {
      try await configure(
        app, config: testConfig(.sqliteFile(path: folder.appendingPathComponent("db.sqlite").path)))
      try await app.autoMigrate()
      try await app.db.sql.raw("PRAGMA journal_mode=WAL").run()
      let f = try await MCPFixture.make(try await TestContext(app: app))
      let issue = try #require(
        try await Issue.query(on: app.db).filter(\.$externalKey == "PS-1").first())
      let template = try #require(try await PromptTemplate.query(on: app.db).first())
      let generate: [String: Any] = [
        "issueId": try issue.requireID().uuidString,
        "templateId": try template.requireID().uuidString,
        "vars": ["tests": true],
      ]
      let first = try await f.ctx.send(
        .POST, "/prompts/generate", token: f.developerToken, object: generate)
      let versionID = try first.content.decode(GenerationResponse.self).promptVersionId
      let generateBody = String(
        decoding: try JSONSerialization.data(withJSONObject: generate), as: UTF8.self)
      let (ctx, developer, pat) = (f.ctx, f.developerToken, f.pat)
      // act: as many generations and uploads, all at once
      let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
        for index in 0..<Self.writes {
          group.addTask {
            if index.isMultiple(of: 2) {
              return try await ctx.send(
                .POST, "/prompts/generate", token: developer, rawBody: generateBody
              ).status.code
            }
            let call = try JSONSerialization.data(withJSONObject: [
              "jsonrpc": "2.0", "id": index, "method": "tools/call",
              "params": [
                "name": "submit_output",
                "arguments": ["promptVersionId": versionID, "text": "output \(index)"],
              ],
            ])
            let response = try await ctx.send(
              .POST, "/mcp", token: pat, rawBody: String(decoding: call, as: UTF8.self),
              headers: MCPTransportTests.accept)
            let result = response.problemJSON?["result"] as? [String: Any]
            return result?["isError"] as? Bool == false ? 201 : 500
          }
        }
        return try await group.reduce(into: [UInt]()) { $0.append($1) }
      }
      // check: every write landed, with distinct version numbers
      #expect(statuses.count == Self.writes && statuses.allSatisfy { $0 == 201 }, "\(statuses)")
      let versions = try await PromptVersion.query(on: app.db).all().map(\.version)
      #expect(versions.count == Self.writes / 2 + 1 && Set(versions).count == versions.count)
      #expect(try await Output.query(on: app.db).count() == Self.writes / 2)
    } catch {
      try await app.asyncShutdown()
      throw error
    }
    try await app.asyncShutdown()
  }
}
