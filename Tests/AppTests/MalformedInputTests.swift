import Fluent
import Foundation
import NIOCore
import Testing
import Vapor

@testable import App

/// Hostile bodies get a clean 4xx problem, never a 500, and write nothing.
@Suite struct MalformedInputTests {
  func counts(_ db: any Database) async throws -> [Int] {
    [
      try await User.query(on: db).count(), try await PromptTemplate.query(on: db).count(),
      try await Tracker.query(on: db).count(), try await PersonalAccessToken.query(on: db).count(),
    ]
  }

  @Test(arguments: TestDatabase.all)
  func hostileJSONIsRefusedCleanly(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      // setup
      let admin = try await ctx.adminToken()
      let before = try await counts(ctx.app.db)
      var invalidUTF8 = ByteBuffer(string: #"{"name": "bad "#)
      invalidUTF8.writeBytes([0xC3, 0x28, 0xFF])
      invalidUTF8.writeString(#"", "bodyMd": "x"}"#)
      let huge = String(repeating: "9", count: 400)
      let tenMegabytes = #"{"name": ""# + String(repeating: "a", count: 10 * 1024 * 1024) + #""}"#
      let deep = String(repeating: #"{"a":"#, count: 64) + "1" + String(repeating: "}", count: 64)

      // act
      let utf8 = try await ctx.app.testing().sendRequest(
        .POST, "/prompt-templates",
        headers: ["Authorization": "Bearer \(admin)", "Content-Type": "application/json"],
        body: invalidUTF8)
      let bigNumber = try await ctx.send(
        .POST, "/me/tokens", token: admin, rawBody: #"{"name": "n", "expiresInDays": \#(huge)}"#)
      let bigNegative = try await ctx.send(
        .PATCH, "/trackers/\(UUID())", token: admin,
        rawBody: #"{"syncIntervalMinutes": -\#(huge).5e999}"#)
      let large = try await ctx.send(.POST, "/me/tokens", token: admin, rawBody: tenMegabytes)
      let nested = try await ctx.send(.POST, "/users", token: admin, rawBody: deep)
      let notAnObject = try await ctx.send(.POST, "/trackers", token: admin, rawBody: "[1, 2]")
      let nullByte = try await ctx.send(
        .POST, "/prompt-templates", token: admin, rawBody: "{\"name\": \"a\u{0}b\", \"bodyMd\": 1")

      // check
      #expect(utf8.status == .badRequest)
      #expect(utf8.headers.contentType?.description.hasPrefix("application/problem+json") == true)
      for response in [bigNumber, bigNegative] {
        #expect((400...422).contains(Int(response.status.code)), "\(response.bodyString)")
      }
      #expect(large.status == .payloadTooLarge)
      #expect(nested.status == .badRequest)
      #expect(notAnObject.status == .badRequest)
      #expect(nullByte.status == .badRequest)
      #expect(try await counts(ctx.app.db) == before)
    }
  }

  @Test func pathTraversalInAnUploadFilenameWritesNowhereElse() async throws {
    try await withTestApp(.sqlite) { ctx in
      // setup
      let f = try await OutputFixture.make(ctx)
      let storage = try await TestStorage.make(.file, app: ctx.app)
      defer { storage.remove() }
      f.use(storage, clamd: nil)
      let folder = try #require(storage.folder)
      let target = URL(fileURLWithPath: folder).deletingLastPathComponent()
        .appendingPathComponent("escaped-\(UUID().uuidString).txt").path
      let relative = "../" + (target as NSString).lastPathComponent
      // act
      let response = try await f.upload {
        $0.file(Array("hello".utf8), filename: relative, contentType: "text/plain")
      }
      let absolute = try await f.upload {
        $0.file(
          Array("again".utf8), filename: "/etc/\(UUID().uuidString)", contentType: "text/plain")
      }
      // check: stored by content hash or refused, never at the given path
      for answer in [response, absolute] {
        #expect(answer.status.code < 500)
      }
      #expect(!FileManager.default.fileExists(atPath: target))
      if response.status == .created {
        let output = try response.content.decode(OutputResponse.self)
        #expect(output.filename.map { !$0.contains("/") } ?? true)
      }
    }
  }
}
