import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A request as the fake tracker received it.
struct FakeRequest: Sendable {
  var method: String
  var uri: String
  var path: String
  var query: [String: String]
  var headers: [(String, String)]
  var body: Data

  func header(_ name: String) -> String? {
    headers.first { $0.0.lowercased() == name.lowercased() }?.1
  }

  var json: [String: Any]? {
    (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
  }
}

/// A canned response.
struct FakeResponse: Sendable {
  var status: Int
  var headers: [(String, String)] = [("Content-Type", "application/json")]
  var body: Data

  static func json(_ data: Data, status: Int = 200, headers: [(String, String)] = []) -> Self {
    FakeResponse(
      status: status, headers: [("Content-Type", "application/json")] + headers, body: data)
  }

  static func json(_ text: String, status: Int = 200, headers: [(String, String)] = []) -> Self {
    json(Data(text.utf8), status: status, headers: headers)
  }

  static func fixture(_ name: String) -> Self {
    json(Fixtures.data(name))
  }

  static let notFound = json(
    #"{"errorMessages":["Issue does not exist or you do not have permission to see it."],"errors":{}}"#,
    status: 404)
}

/// A local HTTP/1.1 server speaking the tracker's protocol through a routing closure.
final class FakeServer: Sendable {
  private let group: MultiThreadedEventLoopGroup
  private let channel: any Channel
  private let recorded = NIOLockedValueBox<[FakeRequest]>([])
  let port: Int

  var baseURL: String { "http://127.0.0.1:\(port)" }

  /// Every request received so far.
  var requests: [FakeRequest] { recorded.withLockedValue { $0 } }

  init(handler: @escaping @Sendable (FakeRequest) -> FakeResponse) async throws {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let recorded = self.recorded
    let respond: @Sendable (FakeRequest) -> FakeResponse = { request in
      recorded.withLockedValue { $0.append(request) }
      return handler(request)
    }
    let bootstrap = ServerBootstrap(group: group)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.configureHTTPServerPipeline()
          try channel.pipeline.syncOperations.addHandler(FakeHTTPHandler(respond: respond))
        }
      }
    self.group = group
    self.channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
    self.port = channel.localAddress?.port ?? 0
  }

  func shutdown() async throws {
    try await channel.close()
    try await group.shutdownGracefully()
  }
}

private final class FakeHTTPHandler: ChannelInboundHandler {
  typealias InboundIn = HTTPServerRequestPart
  typealias OutboundOut = HTTPServerResponsePart

  private let respond: @Sendable (FakeRequest) -> FakeResponse
  private var head: HTTPRequestHead?
  private var body = ByteBuffer()

  init(respond: @escaping @Sendable (FakeRequest) -> FakeResponse) {
    self.respond = respond
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    switch unwrapInboundIn(data) {
    case .head(let head):
      self.head = head
      body.clear()
    case .body(var chunk):
      body.writeBuffer(&chunk)
    case .end:
      guard let head else { return }
      let components = URLComponents(string: head.uri)
      var query: [String: String] = [:]
      for item in components?.queryItems ?? [] { query[item.name] = item.value ?? "" }
      let request = FakeRequest(
        method: head.method.rawValue, uri: head.uri, path: components?.path ?? head.uri,
        query: query, headers: head.headers.map { ($0.name, $0.value) },
        body: Data(body.readableBytesView))
      let response = respond(request)
      var headers = HTTPHeaders(response.headers)
      headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
      let responseHead = HTTPResponseHead(
        version: head.version, status: HTTPResponseStatus(statusCode: response.status),
        headers: headers)
      context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
      context.write(
        wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: response.body)))), promise: nil)
      let keepAlive = head.isKeepAlive
      let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
      context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
        if !keepAlive { bound.value.close(promise: nil) }
      }
      self.head = nil
    }
  }
}
