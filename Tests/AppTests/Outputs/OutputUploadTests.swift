import Fluent
import Foundation
import NIOCore
import Testing
import Tokenizer
import Vapor
import VaporTesting

@testable import App

#if canImport(Glibc)
  import Glibc
#endif

/// `POST /outputs` end to end, with the real clamd and both storage back ends.
@Suite struct OutputUploadTests {
  @Test(arguments: TestDatabase.all, StorageKind.all)
  func cleanTextAndFilesAreStoredOnceAndServedBack(
    _ database: TestDatabase, _ storageKind: StorageKind
  ) async throws {
    try await withTestApp(database) { ctx in
      // setup
      let f = try await OutputFixture.make(ctx)
      let storage = try await TestStorage.make(storageKind, app: ctx.app)
      defer { storage.remove() }
      let clamd = OutputServices.requireClamd()
      f.use(storage, clamd: clamd)
      let markdown = "# Result\n\nAdded the CSV export:\n\n```swift\nlet csv = rows.joined()\n```\n"

      // act: text, then a PNG file, then the same text again
      let text = try await f.upload { $0.text(Array(markdown.utf8)) }
      let image = try await f.upload {
        $0.file(Samples.png, filename: "screenshot.png", contentType: "text/plain")
        $0.field("ide", "vscode")
      }
      let again = try await f.upload {
        $0.text(Array(markdown.utf8))
        $0.field("tokensOut", "7")
      }

      // check
      #expect(text.status == .created)
      let first = try text.content.decode(OutputResponse.self)
      #expect(first.checksum == Samples.sha256(Array(markdown.utf8)))
      #expect(first.size == markdown.utf8.count)
      #expect(first.contentType == "text/markdown; charset=utf-8")
      #expect(first.deduplicated == false)
      #expect(first.scanStatus == (clamd == nil ? "skipped" : "clean"))
      #expect(first.tokensOut == (try Encoding.named(f.encoding)).count(markdown))
      #expect(text.headers.first(name: .location) == "/outputs/\(first.id)")

      #expect(image.status == .created)
      let png = try image.content.decode(OutputResponse.self)
      #expect(png.contentType == "image/png" && png.kind == "file")
      #expect(png.filename == "screenshot.png" && png.ide == "vscode")
      #expect(png.tokensOut == nil)
      #expect(image.bodyString.contains(#""tokensOut":null"#))

      #expect(again.status == .created)
      let second = try again.content.decode(OutputResponse.self)
      #expect(second.deduplicated == true && second.checksum == first.checksum)
      #expect(second.id != first.id)
      let counts = try await f.counts()
      #expect(counts.outputs == 3 && counts.blobs == 2)
      let objects = try await storage.storage.list()
      #expect(Set(objects.compactMap(\.key?.sha256)) == [first.checksum, png.checksum])

      // the generation event carries the latest output's token count
      let versionID = try #require(UUID(uuidString: f.promptVersionID))
      let event = try #require(
        try await GenerationEvent.query(on: ctx.app.db)
          .filter(\.$promptVersion.$id == versionID).first())
      #expect(event.tokensOut == 7)

      // read back: one, the list, the bytes
      let shown = try await f.send(.GET, "/outputs/\(png.id)")
      #expect(shown.status == .ok)
      #expect(try shown.content.decode(OutputResponse.self).checksum == png.checksum)
      #expect(!shown.bodyString.contains("deduplicated"))
      let list = try await f.send(.GET, "/outputs?promptVersionId=\(f.promptVersionID)&limit=2")
      #expect(list.status == .ok)
      #expect(try list.content.decode([OutputResponse].self).map(\.id) == [first.id, png.id])
      #expect(list.headers.first(name: .link)?.contains("rel=\"next\"") == true)
      let content = try await f.send(.GET, "/outputs/\(png.id)/content")
      #expect(content.status == .ok)
      #expect(Array(content.body.readableBytesView) == Samples.png)
      #expect(content.headers.first(name: .contentType) == "image/png")
      #expect(content.headers.first(name: "X-Content-Type-Options") == "nosniff")
      #expect(
        content.headers.first(name: .contentDisposition)?.hasPrefix(
          "attachment; filename=\"screenshot.png\"") == true)
      let textContent = try await f.send(.GET, "/outputs/\(first.id)/content")
      #expect(textContent.bodyString == markdown)
      #expect(
        textContent.headers.first(name: .contentDisposition)?.contains(
          "filename=\"output-\(first.id).md\"") == true)
    }
  }

  @Test(arguments: TestDatabase.all)
  func theEICARTestFileIsRefusedAsTextAndAsAFile(_ database: TestDatabase) async throws {
    guard let clamd = OutputServices.requireClamd() else { return }
    try await withTestApp(database) { ctx in
      let f = try await OutputFixture.make(ctx)
      let storage = try await TestStorage.make(.file, app: ctx.app)
      defer { storage.remove() }
      f.use(storage, clamd: clamd)

      let asText = try await f.upload { $0.text(Samples.eicar) }
      let asFile = try await f.upload { $0.file(Samples.eicar, filename: "eicar.com") }

      for response in [asText, asFile] {
        #expect(response.status == .unprocessableEntity)
        #expect(response.problem?.type == "malware-detected")
        // Signatures from a custom database carry `.UNOFFICIAL`.
        #expect(response.problem?.detail?.contains("eicar.txt.UNOFFICIAL") == true)
      }
      #expect(asFile.problem?.errors?.first?.field == "file")
      let counts = try await f.counts()
      #expect(counts.outputs == 0 && counts.blobs == 0)
      #expect(try await storage.storage.list().isEmpty)
      let audits = try await AuditEvent.query(on: ctx.app.db)
        .filter(\.$action == AuditAction.outputMalwareDetected.rawValue).all()
      #expect(audits.count == 2)
      #expect(audits.allSatisfy { $0.detailsJSON?.contains("UNOFFICIAL") == true })
    }
  }

  @Test(arguments: TestDatabase.all)
  func anUnreachableScannerFailsClosedWhenRequired(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let f = try await OutputFixture.make(ctx)
      let storage = try await TestStorage.make(.file, app: ctx.app)
      defer { storage.remove() }
      // A port nothing listens on: clamd is down.
      let closed = ClamdAddress.tcp(host: "127.0.0.1", port: try Self.closedPort())

      f.use(storage, clamd: closed, required: true)
      let refused = try await f.upload { $0.text(Array("fine text".utf8)) }
      #expect(refused.status == .serviceUnavailable)
      #expect(refused.problem?.type == "scanner-unavailable")
      #expect(refused.headers.first(name: .retryAfter) == "30")
      var counts = try await f.counts()
      #expect(counts.outputs == 0 && counts.blobs == 0)
      #expect(try await storage.storage.list().isEmpty)

      // no CLAMD_URL while required (production without clamd): refused as well
      ctx.app.outputs.scanner = nil
      #expect(try await f.upload { $0.text(Array("fine text".utf8)) }.status == .serviceUnavailable)

      // development without a required scanner: stored, marked skipped
      f.use(storage, clamd: closed, required: false)
      let stored = try await f.upload { $0.text(Array("fine text".utf8)) }
      #expect(stored.status == .created)
      #expect(try stored.content.decode(OutputResponse.self).scanStatus == "skipped")
      counts = try await f.counts()
      #expect(counts.outputs == 1)
    }
  }

  @Test(arguments: TestDatabase.all)
  func fiveMebibytesAreAcceptedAndOneByteMoreIsNot(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let f = try await OutputFixture.make(ctx)
      let storage = try await TestStorage.make(.file, app: ctx.app)
      defer { storage.remove() }
      f.use(storage, clamd: OutputServices.requireClamd())
      let limit = 5 * 1024 * 1024
      var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: limit)
      for index in stride(from: 79, to: limit, by: 80) { bytes[index] = UInt8(ascii: "\n") }

      let exact = try await f.upload {
        $0.file(bytes, filename: "big.txt")
        $0.field("tokensOut", "1")
      }
      let over = try await f.upload {
        $0.file(bytes + [UInt8(ascii: "a")], filename: "big.txt")
        $0.field("tokensOut", "1")
      }
      let overAsText = try await f.upload { $0.text(bytes + [UInt8(ascii: "a")]) }

      #expect(exact.status == .created)
      #expect(try exact.content.decode(OutputResponse.self).size == limit)
      for response in [over, overAsText] {
        #expect(response.status == .payloadTooLarge)
        #expect(response.problem?.type == "payload-too-large")
        #expect(response.headers.first(name: .contentType) == "application/problem+json")
      }
      #expect(try await f.counts().outputs == 1)
    }
  }

  @Test(arguments: TestDatabase.all)
  func executablesArchivesAndBrokenTextAreRefusedByTheirContent(_ database: TestDatabase)
    async throws
  {
    try await withTestApp(database) { ctx in
      let f = try await OutputFixture.make(ctx)
      let storage = try await TestStorage.make(.file, app: ctx.app)
      defer { storage.remove() }
      f.use(storage, clamd: nil, required: false)
      let cases: [(String, (inout MultipartBody) -> Void, String)] = [
        (
          "ELF", { $0.file(Samples.elf, filename: "notes.txt", contentType: "text/plain") },
          "application/x-elf"
        ),
        ("script", { $0.text(Array("#!/bin/sh\nrm -rf /\n".utf8)) }, "text/x-shellscript"),
        (
          "gzip", { $0.file([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0], filename: "a.gz") },
          "application/gzip"
        ),
        ("invalid UTF-8", { $0.text([0x68, 0x69, 0xC3, 0x28]) }, "application/octet-stream"),
        ("PNG as text", { $0.text(Samples.png) }, "image/png"),
      ]
      for (name, build, detected) in cases {
        let response = try await f.upload(build)
        #expect(response.status == .unsupportedMediaType, "\(name)")
        #expect(
          response.problem?.detail?.contains(detected) == true, "\(name): \(response.bodyString)")
      }
      #expect(try await f.counts().outputs == 0)
    }
  }

  @Test(arguments: TestDatabase.all)
  func malformedFormsAreRefused(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let f = try await OutputFixture.make(ctx)
      let storage = try await TestStorage.make(.file, app: ctx.app)
      defer { storage.remove() }
      f.use(storage, clamd: nil, required: false)

      var noVersion = MultipartBody()
      noVersion.text(Array("hello".utf8))
      let missing = try await f.send(
        .POST, "/outputs", contentType: noVersion.contentType, body: noVersion.finished())
      #expect(missing.status == .badRequest)
      #expect(missing.problem?.errors?.first?.field == "promptVersionId")

      let both = try await f.upload {
        $0.text(Array("a".utf8))
        $0.file(Array("b".utf8), filename: "b.txt")
      }
      #expect(both.status == .unprocessableEntity)
      let neither = try await f.upload { $0.field("ide", "vim") }
      #expect(neither.status == .badRequest)
      let badID = try await f.upload(promptVersionID: "nope") { $0.text(Array("a".utf8)) }
      #expect(badID.status == .unprocessableEntity)
      let badTokens = try await f.upload {
        $0.text(Array("a".utf8))
        $0.field("tokensOut", "-3")
      }
      #expect(badTokens.status == .unprocessableEntity)
      let empty = try await f.upload { $0.text([]) }
      #expect(empty.status == .unprocessableEntity)
      let noFilename = try await f.upload {
        $0.field("file", "not a file part")
      }
      #expect(noFilename.status == .badRequest)

      var truncated = MultipartBody()
      truncated.field("promptVersionId", f.promptVersionID)
      truncated.text(Array("cut short".utf8))
      let cut = try await f.send(
        .POST, "/outputs", contentType: truncated.contentType, body: truncated.buffer)
      #expect(cut.status == .badRequest)

      let json = try await f.send(
        .POST, "/outputs", contentType: "application/json", body: ByteBuffer(string: "{}"))
      #expect(json.status == .unsupportedMediaType)
      #expect(try await f.counts().outputs == 0)
    }
  }

  @Test(arguments: TestDatabase.all)
  func anotherCompanysPromptVersionAndOutputsAreNotFound(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let f = try await OutputFixture.make(ctx)
      let storage = try await TestStorage.make(.file, app: ctx.app)
      defer { storage.remove() }
      f.use(storage, clamd: nil, required: false)
      let mine = try await f.upload { $0.text(Array("shared words".utf8)) }
      let output = try mine.content.decode(OutputResponse.self)
      let (_, stranger) = try await CompanyService(
        database: ctx.app.db, hasher: ctx.app.passwordHasher
      )
      .create(name: "Globex", adminEmail: "boss@globex.com", adminPassword: "globex-password-1")
      let token = try await ctx.login(stranger.email, "globex-password-1").accessToken

      let foreign = try await f.upload(token: token) { $0.text(Array("hello".utf8)) }
      #expect(foreign.status == .notFound)
      #expect(try await f.send(.GET, "/outputs/\(output.id)", token: token).status == .notFound)
      #expect(
        try await f.send(.GET, "/outputs/\(output.id)/content", token: token).status == .notFound)
      let list = try await f.send(.GET, "/outputs", token: token)
      #expect(try list.content.decode([OutputResponse].self).isEmpty)
      #expect(try await f.send(.GET, "/outputs/not-a-uuid").status == .notFound)
      let unauthenticated = try await ctx.send(.GET, "/outputs")
      #expect(unauthenticated.status == .unauthorized)
      #expect(try await f.counts().outputs == 1)
    }
  }

  /// A loopback port bound for a moment and released: nothing listens there.
  static func closedPort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
        bind(descriptor, raw, length) == 0 && getsockname(descriptor, raw, &length) == 0
      }
    }
    guard bound else { throw TestSetupError("cannot bind a loopback port") }
    return Int(UInt16(bigEndian: address.sin_port))
  }
}
