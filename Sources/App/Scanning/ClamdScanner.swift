import NIOCore
import NIOPosix

/// Scans with a clamd daemon over its INSTREAM protocol: `zINSTREAM\0`, then chunks each
/// prefixed by its length (4 bytes, big-endian), then a zero length; the reply (`stream: OK`,
/// `stream: NAME FOUND` or `... ERROR`) ends with `\0`.
struct ClamdScanner: VirusScanner {
  static let chunkSize = 64 * 1024

  let address: ClamdAddress
  let group: any EventLoopGroup
  var connectTimeout: TimeAmount = .seconds(5)
  /// The whole exchange, connection included; past it the connection is closed.
  var timeout: TimeAmount = .seconds(60)

  func scan(_ bytes: ByteBuffer) async throws -> ScanVerdict {
    let reply: String
    do {
      reply = try await exchange(command: "zINSTREAM\0", payload: bytes)
    } catch let error as ScannerUnavailable {
      throw error
    } catch {
      throw ScannerUnavailable("clamd at \(address): \(error)")
    }
    return try Self.verdict(reply)
  }

  /// `PING` → `PONG`: whether the daemon answers.
  func ping() async throws -> Bool {
    try await exchange(command: "zPING\0", payload: nil) == "PONG"
  }

  static func verdict(_ reply: String) throws -> ScanVerdict {
    let text = reply.trimmingCharacters(in: .whitespaces)
    if text.hasSuffix(" FOUND") {
      var signature = text.dropLast(" FOUND".count)
      if let colon = signature.firstIndex(of: ":") {
        signature = signature[signature.index(after: colon)...]
      }
      return .infected(signature: signature.trimmingCharacters(in: .whitespaces))
    }
    if text.hasSuffix(": OK") || text == "OK" { return .clean }
    throw ScannerUnavailable("clamd answered: \(text)")
  }

  private func exchange(command: String, payload: ByteBuffer?) async throws -> String {
    let bootstrap = ClientBootstrap(group: group).connectTimeout(connectTimeout)
    let initializer:
      @Sendable (any Channel) -> EventLoopFuture<NIOAsyncChannel<ByteBuffer, ByteBuffer>> = {
        channel in
        channel.eventLoop.makeCompletedFuture {
          try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
        }
      }
    let connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>
    switch address {
    case .tcp(let host, let port):
      connection = try await bootstrap.connect(
        host: host, port: port, channelInitializer: initializer)
    case .unix(let path):
      connection = try await bootstrap.connect(
        unixDomainSocketPath: path, channelInitializer: initializer)
    }
    let channel = connection.channel
    // A stuck daemon must not hold the upload: closing the channel ends both directions.
    let deadline = channel.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
    defer { deadline.cancel() }
    let reply = try await connection.executeThenClose { inbound, outbound in
      try await outbound.write(ByteBuffer(string: command))
      if var remaining = payload {
        while let chunk = remaining.readSlice(length: min(Self.chunkSize, remaining.readableBytes)),
          chunk.readableBytes > 0
        {
          var length = ByteBuffer()
          length.writeInteger(UInt32(chunk.readableBytes), endianness: .big)
          try await outbound.write(contentsOf: [length, chunk])
        }
        var end = ByteBuffer()
        end.writeInteger(UInt32(0), endianness: .big)
        try await outbound.write(end)
      }
      var reply = ByteBuffer()
      for try await part in inbound {
        reply.writeImmutableBuffer(part)
        if reply.readableBytesView.contains(0) { break }
        guard reply.readableBytes < 4096 else { throw ScannerUnavailable("clamd reply too long") }
      }
      guard let end = reply.readableBytesView.firstIndex(of: 0) else {
        throw ScannerUnavailable("clamd at \(address) closed the connection without a verdict")
      }
      return String(decoding: reply.readableBytesView[..<end], as: UTF8.self)
    }
    return reply
  }
}
