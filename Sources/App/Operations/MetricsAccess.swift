import Crypto
import Foundation
import Vapor

/// Who may read `/metrics`: with `METRICS_TOKEN` a bearer of that token; with `METRICS_PORT`
/// anyone reaching that separate listener (and nobody on the API's port); with neither, anyone,
/// as before (production logs a warning: the queue depths and request counts are the
/// deployment's, not a tenant's).
enum MetricsAccess: Sendable, Equatable {
  case open
  case token(String)
  case separatePort(Int)

  /// `METRICS_TOKEN` and `METRICS_PORT`; the problems name the variable.
  static func load(environment: [String: String], problems: inout [String]) -> MetricsAccess {
    let token = environment["METRICS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    let port = environment["METRICS_PORT"].flatMap { $0.isEmpty ? nil : $0 }
    switch (token, port) {
    case (let token?, nil):
      if token.utf8.count < 16 { problems.append("METRICS_TOKEN: must be at least 16 bytes") }
      return .token(token)
    case (nil, let raw?):
      guard let port = Int(raw), (1...65535).contains(port) else {
        problems.append("METRICS_PORT: must be a port number, got \"\(raw)\"")
        return .open
      }
      return .separatePort(port)
    case (_?, _?):
      problems.append("METRICS_TOKEN and METRICS_PORT: set one of them, not both")
      return .open
    case (nil, nil):
      return .open
    }
  }

  /// Whether the API port's `/metrics` answers `req`.
  func admits(_ req: Request) -> Bool {
    switch self {
    case .open: return true
    case .separatePort: return false
    case .token(let expected):
      guard let given = req.headers.bearerToken else { return false }
      return Data(SHA256.hash(data: Data(given.utf8)))
        == Data(SHA256.hash(data: Data(expected.utf8)))
    }
  }
}

/// Serves `/metrics` (and nothing else) on `METRICS_PORT`, beside the API, for `serve` only.
final class MetricsListener: LifecycleHandler, @unchecked Sendable {
  private var server: HTTPServer?

  func didBootAsync(_ app: Application) async throws {
    let command = app.environment.arguments.dropFirst().first
    guard command == nil || command == "serve",
      case .separatePort(let port) = app.appConfig.metricsAccess
    else { return }
    try await start(app, port: port)
  }

  /// Listens on `port` of the API's interface.
  func start(_ app: Application, port: Int) async throws {
    let server = HTTPServer(
      application: app, responder: MetricsResponder(application: app),
      configuration: .init(
        hostname: app.http.server.configuration.hostname, port: port,
        logger: app.logger),
      on: app.eventLoopGroup)
    try await server.start(address: nil)
    self.server = server
    app.logger.info("Metrics served on their own port", metadata: ["port": "\(port)"])
  }

  func shutdownAsync(_ app: Application) async {
    await server?.shutdown()
  }
}

/// The metrics listener's only route.
struct MetricsResponder: AsyncResponder {
  let application: Application

  func respond(to request: Request) async throws -> Response {
    guard request.method == .GET, request.url.path == "/metrics" else {
      return Response(status: .notFound)
    }
    return await MetricsExposition.response(application)
  }
}
