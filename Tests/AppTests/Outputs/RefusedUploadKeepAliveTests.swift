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
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else { throw Abort(.internalServerError, reason: "connect failed") }
    var timeout = timeval(tv_sec: 10, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
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
