import NIOCore
import NIOSSL
import Vapor

/// The HTTPS server, plus a plain-HTTP listener on `HTTP_PORT` that answers every request with
/// a 308 to the same path over HTTPS. Both start and stop together, as `app.server`.
final class HTTPSWithRedirectServer: Server {
  let application: Application
  let redirect: HTTPServer
  let redirectPort: Int

  /// Vapor's shared server, built on first use: it captures the routes and middleware then,
  /// so it must not be built while `configure` is still registering them.
  var main: HTTPServer { application.http.server.shared }

  init(application: Application, redirectPort: Int) {
    self.application = application
    self.redirectPort = redirectPort
    redirect = HTTPServer(
      application: application, responder: HTTPSRedirectResponder(application: application),
      configuration: .init(port: redirectPort, logger: application.logger),
      on: application.eventLoopGroup)
  }

  var onShutdown: EventLoopFuture<Void> { main.onShutdown }

  /// The plain listener's port once started (the configured one, or the one chosen for 0).
  var redirectLocalPort: Int? { redirect.localAddress?.port }

  func start(address: BindAddress?) async throws {
    // An HTTPServer writes its configuration into the application's storage when it starts:
    // start the redirect listener first so that the HTTPS server's configuration is the one
    // the application keeps.
    try await redirect.start(
      address: .hostname(Self.hostname(of: address, main), port: redirectPort))
    do {
      try await main.start(address: address)
    } catch {
      await redirect.shutdown()
      throw error
    }
  }

  @available(*, noasync)
  func start(address: BindAddress?) throws {
    try redirect.start(address: .hostname(Self.hostname(of: address, main), port: redirectPort))
    do {
      try main.start(address: address)
    } catch {
      redirect.shutdown()
      throw error
    }
  }

  func shutdown() async {
    await main.shutdown()
    await redirect.shutdown()
  }

  @available(*, noasync)
  func shutdown() {
    main.shutdown()
    redirect.shutdown()
  }

  /// The redirect listener binds the interface `serve --hostname` chose for HTTPS.
  private static func hostname(of address: BindAddress?, _ main: HTTPServer) -> String {
    if case .hostname(let host?, _) = address { return host }
    return main.configuration.hostname
  }
}

/// Answers every plain-HTTP request with a 308 to HTTPS on the HTTPS server's port.
struct HTTPSRedirectResponder: Responder {
  let application: Application

  func respond(to request: Request) -> EventLoopFuture<Response> {
    let port =
      application.http.server.shared.localAddress?.port
      ?? application.http.server.shared.configuration.port
    let location = HTTPSRedirect.location(for: request, httpsPort: port)
    return request.eventLoop.makeSucceededFuture(HTTPSRedirect.response(location: location))
  }
}

extension Application {
  /// Serves HTTPS with the configured certificate, and the `HTTP_PORT` redirect listener.
  func configureTLS(_ files: TLSFiles, redirectPort: Int?) throws {
    let chain = try NIOSSLCertificate.fromPEMFile(files.certificateChain)
    let key = try NIOSSLPrivateKey(file: files.privateKey, format: .pem)
    http.server.configuration.tlsConfiguration = .makeServerConfiguration(
      certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
    guard let redirectPort else { return }
    let server = HTTPSWithRedirectServer(application: self, redirectPort: redirectPort)
    servers.use { _ in server }
  }
}
