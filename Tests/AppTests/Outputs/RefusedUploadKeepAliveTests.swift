import Foundation
import Testing
import Vapor

@testable import App

/// An upload refused part-way through its body must not stall the keep-alive connection: the
/// client's next request on it is read and answered (schemathesis found a request that waited
/// forever after such a refusal).
@Suite struct RefusedUploadKeepAliveTests {
  @Test func theNextRequestOnTheConnectionIsAnswered() async throws {
    try await withTestApp(.sqlite) { ctx in
      let f = try await OutputFixture.make(ctx)
      try await LiveServer.run(ctx.app) { server in
        let (port, token) = (server.port, f.developer)
        let answers = try await onOwnThread {
          try KeepAliveSocket.refusedUploadThenHealth(port: port, token: token)
        }
        #expect(answers.first?.hasPrefix("HTTP/1.1 422") == true, "\(answers)")
        #expect(answers.last?.hasPrefix("HTTP/1.1 200") == true, "\(answers)")
      }
    }
  }
}

/// One TCP connection: a multipart upload with both `text` and `file` (refused at the second
/// part, while half a MiB of the file is still to come), then `GET /health`.
enum KeepAliveSocket {
  static func refusedUploadThenHealth(port: Int, token: String) throws -> [String] {
    let fd = try LoopbackSocket.connect(port: port, sendTimeout: 10, receiveTimeout: 10)
    defer { close(fd) }
    let boundary = "keep-alive-boundary"
    let body =
      "--\(boundary)\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nhello\r\n"
      + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
      + "Content-Type: text/plain\r\n\r\n" + String(repeating: "x", count: 512 * 1024)
      + "\r\n--\(boundary)--\r\n"
    let upload =
      "POST /outputs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n"
      + "Content-Type: multipart/form-data; boundary=\(boundary)\r\n"
      + "Content-Length: \(body.utf8.count)\r\n\r\n" + body
    try write(fd, upload)
    let first = try readResponse(fd)
    try write(fd, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    return [first, try readResponse(fd)]
  }

  static func write(_ fd: Int32, _ text: String) throws {
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let written = bytes[offset...].withUnsafeBytes {
        Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
      }
      guard written > 0 else { throw Abort(.internalServerError, reason: "send stalled") }
      offset += written
    }
  }

  /// One response, read up to the end of its `Content-Length` body; empty on a timeout.
  static func readResponse(_ fd: Int32) throws -> String {
    var received: [UInt8] = []
    while true {
      let text = String(decoding: received, as: UTF8.self)
      if let end = text.range(of: "\r\n\r\n") {
        let length =
          text[..<end.lowerBound].components(separatedBy: "\r\n")
          .first { $0.lowercased().hasPrefix("content-length:") }
          .flatMap { Int($0.dropFirst(15).trimmingCharacters(in: .whitespaces)) } ?? 0
        if text[end.upperBound...].utf8.count >= length { return text }
      }
      var buffer = [UInt8](repeating: 0, count: 65_536)
      let count = recv(fd, &buffer, buffer.count, 0)
      guard count > 0 else { return text }
      received += buffer.prefix(count)
    }
  }
}
