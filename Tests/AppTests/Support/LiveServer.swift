import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL
import Testing
import Vapor

@testable import App

/// The test application served on real sockets (127.0.0.1, ports chosen by the system), for
/// what in-memory requests cannot show: TLS, the redirect listener, the peer's address.
struct LiveServer {
  let port: Int
  /// The plain-HTTP redirect listener's port, when `HTTP_PORT` is configured.
  let redirectPort: Int?

  static func run(
    _ app: Application, _ body: (LiveServer) async throws -> Void
  ) async throws {
    try await app.server.start(address: .hostname("127.0.0.1", port: 0))
    do {
      let port = try #require(app.http.server.shared.localAddress?.port)
      let redirect = (app.server as? HTTPSWithRedirectServer)?.redirectLocalPort
      try await body(LiveServer(port: port, redirectPort: redirect))
    } catch {
      await app.server.shutdown()
      throw error
    }
    await app.server.shutdown()
  }

  /// Runs `body` with a client that follows no redirect and trusts `certificate` (PEM file)
  /// when given.
  static func withClient(
    trusting certificate: String? = nil, _ body: (HTTPClient) async throws -> Void
  ) async throws {
    var tls = TLSConfiguration.makeClientConfiguration()
    if let certificate {
      tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(certificate))
    }
    let client = HTTPClient(
      eventLoopGroupProvider: .singleton,
      configuration: .init(tlsConfiguration: tls, redirectConfiguration: .disallow))
    do {
      try await body(client)
    } catch {
      try await client.shutdown()
      throw error
    }
    try await client.shutdown()
  }
}

extension HTTPClient {
  /// Sends a request and collects its body (at most 1 MiB).
  func send(
    _ method: NIOHTTP1.HTTPMethod = .GET, _ url: String, headers: [(String, String)] = [],
    body: String? = nil, timeout: TimeAmount = .seconds(30)
  ) async throws -> (status: Int, headers: NIOHTTP1.HTTPHeaders, body: String) {
    var request = HTTPClientRequest(url: url)
    request.method = method
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    if let body { request.body = .bytes(ByteBuffer(string: body)) }
    let response = try await execute(request, timeout: timeout)
    let collected = try await response.body.collect(upTo: 1 << 20)
    return (Int(response.status.code), response.headers, String(buffer: collected))
  }
}

/// A self-signed certificate for 127.0.0.1 and localhost, made with the openssl CLI in a
/// temporary folder.
struct SelfSignedCertificate {
  let folder: URL
  var certificate: String { folder.appendingPathComponent("cert.pem").path }
  var privateKey: String { folder.appendingPathComponent("key.pem").path }

  static func make() throws -> SelfSignedCertificate {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("promptsmith-tls-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let made = SelfSignedCertificate(folder: folder)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
      "-nodes", "-keyout", made.privateKey, "-out", made.certificate, "-days", "1",
      "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
    ]
    process.standardError = FileHandle.nullDevice
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw TestSetupError("openssl req failed") }
    return made
  }

  func remove() {
    try? FileManager.default.removeItem(at: folder)
  }
}

/// Runs blocking work (a plain socket's `send`/`recv`) on a thread of its own: on the
/// cooperative pool it would hold one of its few threads (two on a 2-core machine), which the
/// server under test needs to answer.
func onOwnThread<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws
  -> Result
{
  try await withCheckedThrowingContinuation { continuation in
    Thread { continuation.resume(with: Swift.Result { try work() }) }.start()
  }
}
