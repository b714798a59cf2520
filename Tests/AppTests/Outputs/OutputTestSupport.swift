import Crypto
import Fluent
import Foundation
import NIOCore
import NIOPosix
import Testing
import Vapor
import VaporTesting

@testable import App

/// The local services the outputs tests use: a real clamd (`CLAMD_TEST_URL`) and an
/// S3-compatible server (`S3_TEST_ENDPOINT`), both started by scripts/test.sh. Without them the
/// cases that need them are skipped, unless `REQUIRE_POSTGRES_TESTS=1` (CI), where they fail.
enum OutputServices {
  static var clamd: ClamdAddress? {
    value("CLAMD_TEST_URL").flatMap { try? ClamdAddress.parse($0).get() }
  }

  static var s3Endpoint: String? { value("S3_TEST_ENDPOINT") }

  static var required: Bool {
    ProcessInfo.processInfo.environment["REQUIRE_POSTGRES_TESTS"] == "1"
  }

  /// The clamd address, or nil after recording an issue when CI requires it.
  static func requireClamd(sourceLocation: SourceLocation = #_sourceLocation) -> ClamdAddress? {
    if let clamd { return clamd }
    if required {
      Issue.record(
        "CLAMD_TEST_URL is not set (scripts/test.sh starts clamd)", sourceLocation: sourceLocation)
    }
    return nil
  }

  private static func value(_ name: String) -> String? {
    ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 }
  }
}

/// The storage back ends a test runs on: the file store always, S3 when a server is there.
enum StorageKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
  case file
  case s3

  static var all: [StorageKind] {
    if OutputServices.s3Endpoint != nil { return [.file, .s3] }
    precondition(
      !OutputServices.required, "REQUIRE_POSTGRES_TESTS=1 but S3_TEST_ENDPOINT is not set")
    return [.file]
  }

  var testDescription: String { rawValue }
}

/// A temporary folder or a fresh bucket, removed afterwards.
struct TestStorage: Sendable {
  let storage: any BlobStorage
  let folder: String?

  static func make(_ kind: StorageKind, app: Application) async throws -> TestStorage {
    switch kind {
    case .file:
      let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("ps-uploads-\(UUID().uuidString)").path
      return TestStorage(
        storage: FileBlobStorage(root: folder, threadPool: app.threadPool), folder: folder)
    case .s3:
      let endpoint = try #require(OutputServices.s3Endpoint)
      let bucket = "ps-test-\(UUID().uuidString.lowercased().prefix(12))"
      let location = try S3Location.parse(
        "s3://\(bucket)?endpoint=\(endpoint)&region=us-east-1&pathStyle=true"
      ).get()
      let storage = S3BlobStorage(
        location: location, accessKeyID: "test-key", secretAccessKey: "test-secret",
        client: app.http.client.shared)
      try await storage.createBucket()
      return TestStorage(storage: storage, folder: nil)
    }
  }

  func remove() {
    if let folder { try? FileManager.default.removeItem(atPath: folder) }
  }
}

/// A `multipart/form-data` body built by hand, as a client would send it.
struct MultipartBody {
  let boundary = "----promptsmith-\(UUID().uuidString)"
  private(set) var buffer = ByteBuffer()

  var contentType: String { "multipart/form-data; boundary=\(boundary)" }

  mutating func field(_ name: String, _ value: String) {
    buffer.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n")
    buffer.writeString(value)
    buffer.writeString("\r\n")
  }

  mutating func text(_ bytes: [UInt8]) {
    buffer.writeString(
      "--\(boundary)\r\nContent-Disposition: form-data; name=\"text\"\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\n\r\n")
    buffer.writeBytes(bytes)
    buffer.writeString("\r\n")
  }

  mutating func file(
    _ bytes: [UInt8], filename: String, contentType: String = "application/octet-stream",
    name: String = "file"
  ) {
    buffer.writeString(
      "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(filename)\"\r\n"
        + "Content-Type: \(contentType)\r\n\r\n")
    buffer.writeBytes(bytes)
    buffer.writeString("\r\n")
  }

  func finished() -> ByteBuffer {
    var body = buffer
    body.writeString("--\(boundary)--\r\n")
    return body
  }
}

/// Users, an issue, a template and one generated prompt version to attach outputs to.
struct OutputFixture {
  let ctx: TestContext
  let developer: String
  let promptVersionID: String
  let encoding: String

  static func make(_ ctx: TestContext) async throws -> OutputFixture {
    let core = CoreLoopTests()
    let f = try await CoreLoopTests.fixture(ctx)
    let template = try await core.createTemplate(f)
    let generated = try await core.generate(f, templateID: template.id)
    #expect(generated.status == .created)
    let version = try generated.content.decode(GenerationResponse.self)
    return OutputFixture(
      ctx: ctx, developer: f.developer, promptVersionID: version.promptVersionId,
      encoding: version.encoding)
  }

  /// Uses `storage` and, when given, clamd at `clamd` for the app's uploads.
  func use(_ storage: TestStorage, clamd: ClamdAddress?, required: Bool? = nil) {
    ctx.app.outputs = OutputsDependencies(
      storage: storage.storage,
      scanner: clamd.map { ClamdScanner(address: $0, group: ctx.app.eventLoopGroup) },
      scanRequired: required ?? (clamd != nil))
  }

  /// Sends a form; the status must be declared in openapi.yaml.
  func upload(
    token: String? = nil, promptVersionID: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation, _ build: (inout MultipartBody) -> Void
  ) async throws -> TestingHTTPResponse {
    var body = MultipartBody()
    body.field("promptVersionId", promptVersionID ?? self.promptVersionID)
    build(&body)
    return try await send(
      .POST, "/outputs", token: token ?? developer, contentType: body.contentType,
      body: body.finished(), sourceLocation: sourceLocation)
  }

  func send(
    _ method: HTTPMethod, _ path: String, token: String? = nil, contentType: String? = nil,
    body: ByteBuffer? = nil, sourceLocation: SourceLocation = #_sourceLocation
  ) async throws -> TestingHTTPResponse {
    var headers = HTTPHeaders()
    headers.replaceOrAdd(name: .authorization, value: "Bearer \(token ?? developer)")
    if let contentType { headers.replaceOrAdd(name: .contentType, value: contentType) }
    let response = try await ctx.app.testing().sendRequest(
      method, path, headers: headers, body: body)
    OpenAPIContract.shared.expectDeclared(
      method: method.rawValue, path: path, status: Int(response.status.code),
      sourceLocation: sourceLocation)
    return response
  }

  func counts() async throws -> (outputs: Int, blobs: Int) {
    (
      try await Output.query(on: ctx.app.db).count(),
      try await Blob.query(on: ctx.app.db).count()
    )
  }
}

enum Samples {
  static let eicar = Array(
    #"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"#.utf8)

  /// A 1×1 PNG.
  static let png: [UInt8] = Array(
    Data(
      base64Encoded:
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    )!)

  /// The first bytes of an x86-64 ELF executable.
  static let elf: [UInt8] =
    [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00] + [UInt8](repeating: 0, count: 56)

  static func sha256(_ bytes: [UInt8]) -> String {
    SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
  }
}
