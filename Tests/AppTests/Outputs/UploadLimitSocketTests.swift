import Foundation
import Testing
import Vapor

@testable import App

/// The upload limit over a real socket: the 413 arrives while the client is still sending, long
/// before the whole body, and the server never buffers it (in-memory requests cannot show this,
/// their body is complete before the handler runs).
@Suite struct UploadLimitSocketTests {
  @Test func anOversizedUploadIsRefusedWhileItIsStillStreaming() async throws {
    try await withTestApp(.sqlite) { ctx in
      let f = try await OutputFixture.make(ctx)
      let storage = try await TestStorage.make(.file, app: ctx.app)
      defer { storage.remove() }
      f.use(storage, clamd: nil, required: false)
      try await LiveServer.run(ctx.app) { server in
        let total = 64 * 1024 * 1024
        let (port, token, version) = (server.port, f.developer, f.promptVersionID)
        let result = try await onOwnThread {
          try RawUpload.send(
            port: port, token: token, promptVersionID: version, contentBytes: total)
        }
        #expect(result.statusLine.hasPrefix("HTTP/1.1 413"))
        #expect(result.response.contains("payload-too-large"))
        // refused after a little over the 5 MiB limit, not after the 64 MiB sent in full
        #expect(result.sentBytes < 16 * 1024 * 1024, "sent \(result.sentBytes) bytes")
      }
      #expect(try await f.counts().outputs == 0)
    }
  }
}

/// A multipart upload written to a plain socket in 64 KiB chunks, reading the answer as soon as
/// there is one.
enum RawUpload {
  struct Result {
    var statusLine: String
    var response: String
    var sentBytes: Int
  }

  static func send(port: Int, token: String, promptVersionID: String, contentBytes: Int) throws
    -> Result
  {
    let fd = try LoopbackSocket.connect(port: port, sendTimeout: 2)
    defer { close(fd) }
    let boundary = "raw-upload-boundary"
    let head =
      "--\(boundary)\r\nContent-Disposition: form-data; name=\"promptVersionId\"\r\n\r\n"
      + "\(promptVersionID)\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; "
      + "filename=\"big.txt\"\r\nContent-Type: text/plain\r\n\r\n"
    let tail = "\r\n--\(boundary)--\r\n"
    let length = head.utf8.count + contentBytes + tail.utf8.count
    let request =
      "POST /outputs HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAuthorization: Bearer \(token)\r\n"
      + "Content-Type: multipart/form-data; boundary=\(boundary)\r\n"
      + "Content-Length: \(length)\r\n\r\n" + head
    var sent = 0
    var answer: [UInt8] = []
    func readAvailable() {
      var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      while poll(&poller, 1, 0) > 0, poller.revents & Int16(POLLIN) != 0 {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = recv(fd, &buffer, buffer.count, 0)
        guard count > 0 else { return }
        answer += buffer.prefix(count)
      }
    }
    func write(_ bytes: [UInt8]) -> Bool {
      var offset = 0
      while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes {
          Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
        }
        guard written > 0 else { return false }
        offset += written
        sent += written
      }
      return true
    }
    _ = write(Array(request.utf8))
    let line = [UInt8]((0..<1024).map { $0 % 80 == 79 ? UInt8(ascii: "\n") : UInt8(ascii: "a") })
    let chunk = Array(repeating: line, count: 64).flatMap { $0 }
    var remaining = contentBytes
    while remaining > 0, answer.isEmpty {
      let next = Array(chunk.prefix(remaining))
      guard write(next) else { break }
      remaining -= next.count
      readAvailable()
    }
    let deadline = Date().addingTimeInterval(10)
    while !String(decoding: answer, as: UTF8.self).contains("\r\n\r\n"), Date() < deadline {
      readAvailable()
      usleep(10_000)
    }
    usleep(100_000)
    readAvailable()
    let text = String(decoding: answer, as: UTF8.self)
    return Result(
      statusLine: text.components(separatedBy: "\r\n").first ?? "", response: text,
      sentBytes: sent)
  }
}
