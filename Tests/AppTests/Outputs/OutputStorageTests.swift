import Fluent
import Foundation
import NIOCore
import Testing
import Vapor

@testable import App

/// Both storage back ends, and the cleanup that runs over them.
@Suite struct OutputStorageTests {
  @Test(arguments: StorageKind.all)
  func storesReadsListsAndDeletesByContentAddress(_ kind: StorageKind) async throws {
    let app = try await Application.make(.testing)
    do {
      let storage = try await TestStorage.make(kind, app: app)
      defer { storage.remove() }
      let bytes = ByteBuffer(string: "hello, blob")
      let key = try #require(BlobKey(sha256: Samples.sha256(Array("hello, blob".utf8))))

      #expect(try await storage.storage.exists(key: key) == false)
      #expect(try await storage.storage.get(key: key) == nil)
      try await storage.storage.put(key: key, bytes: bytes, contentType: "text/plain")
      try await storage.storage.put(key: key, bytes: bytes, contentType: "text/plain")
      #expect(try await storage.storage.exists(key: key))
      #expect(try await storage.storage.get(key: key) == bytes)
      let listed = try await storage.storage.list()
      #expect(listed.count == 1)
      #expect(listed.first?.key == key && listed.first?.path == key.path)
      #expect(listed.first?.size == bytes.readableBytes)
      if let folder = storage.folder {
        // content-addressed, no temporary file left behind
        let files = try FileManager.default.subpathsOfDirectory(atPath: folder)
        #expect(
          files.sorted() == [String(key.path.prefix(2)), String(key.path.prefix(5)), key.path])
      }
      try await storage.storage.delete(key: key)
      try await storage.storage.delete(key: key)
      #expect(try await storage.storage.exists(key: key) == false)
      #expect(try await storage.storage.list().isEmpty)
    } catch {
      try await app.asyncShutdown()
      throw error
    }
    try await app.asyncShutdown()
  }

  @Test(arguments: TestDatabase.all, StorageKind.all)
  func cleanupRemovesUnreferencedBlobsAfterTheGracePeriod(
    _ database: TestDatabase, _ kind: StorageKind
  ) async throws {
    try await withTestApp(database) { ctx in
      // setup: a referenced blob, an unreferenced blob row, an object without a row
      let f = try await OutputFixture.make(ctx)
      let storage = try await TestStorage.make(kind, app: ctx.app)
      defer { storage.remove() }
      f.use(storage, clamd: nil, required: false)
      let kept = try await f.upload { $0.text(Array("keep me".utf8)) }
      let keptSHA = try kept.content.decode(OutputResponse.self).checksum
      let unreferenced = "unreferenced bytes"
      let unreferencedKey = try #require(BlobKey(sha256: Samples.sha256(Array(unreferenced.utf8))))
      try await storage.storage.put(
        key: unreferencedKey, bytes: ByteBuffer(string: unreferenced), contentType: "text/plain")
      try await Blob(sha256: unreferencedKey.sha256, size: unreferenced.utf8.count)
        .create(on: ctx.app.db)
      let orphanKey = try #require(BlobKey(sha256: Samples.sha256(Array("orphan".utf8))))
      try await storage.storage.put(
        key: orphanKey, bytes: ByteBuffer(string: "orphan"), contentType: "text/plain")

      // act: within the grace period nothing goes; a day later the two unreferenced ones do
      let early = try await OutputCleanup.run(
        database: ctx.app.db, storage: storage.storage, logger: ctx.app.logger)
      let late = try await OutputCleanup.run(
        database: ctx.app.db, storage: storage.storage, logger: ctx.app.logger,
        now: Date().addingTimeInterval(OutputCleanup.gracePeriod + 3600))

      // check
      #expect(early == OutputCleanup.Report())
      #expect(late == OutputCleanup.Report(unreferencedBlobs: 1, orphanObjects: 1))
      #expect(try await Blob.query(on: ctx.app.db).all().compactMap(\.id) == [keptSHA])
      #expect(try await storage.storage.list().compactMap(\.key?.sha256) == [keptSHA])
      let content = try await f.send(
        .GET, "/outputs/\(try kept.content.decode(OutputResponse.self).id)/content")
      #expect(content.bodyString == "keep me")
    }
  }
}
