import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import App

@Suite struct FileBlobStorageTests {
  /// A root whose own parents do not exist yet, written with `.` and `..` segments: it is
  /// created, and the object's folders under it.
  @Test func anObjectIsStoredUnderFoldersCreatedForIt() async throws {
    let base = FileManager.default.temporaryDirectory
      .appendingPathComponent("promptsmith-blobs-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: base) }
    let root = base.path + "/a/./b/../b/uploads"
    let storage = FileBlobStorage(root: root, threadPool: .singleton)
    let key = try #require(BlobKey(sha256: String(repeating: "ab", count: 32)))
    // act
    try await storage.put(key: key, bytes: ByteBuffer(string: "hello"), contentType: "text/plain")
    try await storage.put(key: key, bytes: ByteBuffer(string: "hello"), contentType: "text/plain")
    // check
    let stored = try await storage.get(key: key)
    #expect(stored.map { String(buffer: $0) } == "hello")
    let folder = base.appendingPathComponent("a/b/uploads/ab/ab")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    #expect(names == [key.sha256], "no temporary file is left")
  }
}
