import Foundation
import NIOConcurrencyHelpers
import Vapor

/// The web console: `GET /`, every `/app/…` and `/docs` answer the HTML shell (the browser's
/// router picks the screen), `/assets/…` its static files. These are pages, not API operations: they
/// are not in openapi.yaml, and `owns` is the one rule that tells them apart.
struct ConsoleRoutes: RouteCollection {
  let source: ConsoleSource

  static func owns(_ path: [PathComponent]) -> Bool {
    guard let first = path.first else { return true }
    return first == "app" || first == "assets"
  }

  func boot(routes: any RoutesBuilder) throws {
    routes.get(use: shell)
    routes.get("app", use: shell)
    routes.get("app", "**", use: shell)
    // The API reference is a console screen too, open without a session.
    routes.get("docs", use: shell)
    routes.get("assets", "**", use: asset)
  }

  func shell(req: Request) async throws -> Response {
    let bundle = try source.bundleForPage()
    var headers = HTTPHeaders()
    headers.contentType = .html
    headers.replaceOrAdd(name: "Content-Security-Policy", value: bundle.contentSecurityPolicy)
    headers.replaceOrAdd(name: .cacheControl, value: "no-store")
    headers.responseCompression = .enable
    return Response(status: .ok, headers: headers, body: .init(string: bundle.shell))
  }

  func asset(req: Request) async throws -> Response {
    let path = req.parameters.getCatchall().joined(separator: "/")
    guard let (asset, immutable) = try source.bundleForAsset().asset(path) else {
      throw AppError.notFound("asset")
    }
    var headers = HTTPHeaders()
    headers.replaceOrAdd(name: .contentType, value: asset.contentType)
    headers.replaceOrAdd(
      name: .cacheControl, value: immutable ? "public, max-age=31536000, immutable" : "no-cache")
    headers.replaceOrAdd(name: .eTag, value: "\"\(asset.hash)\"")
    headers.responseCompression = .enable
    if req.headers.first(name: .ifNoneMatch) == "\"\(asset.hash)\"" {
      return Response(status: .notModified, headers: headers)
    }
    return Response(status: .ok, headers: headers, body: .init(data: asset.bytes))
  }
}

/// Where the console's files come from: the copy inside the binary, read once at start, or a
/// folder (`CONSOLE_ASSETS_DIR`) read again for every page, so that whoever works on the
/// console sees an edit on reload without rebuilding the server.
final class ConsoleSource: Sendable {
  private let folder: URL
  private let rereads: Bool
  private let current: NIOLockedValueBox<ConsoleBundle>

  init(folder: URL, rereads: Bool) throws {
    self.folder = folder
    self.rereads = rereads
    current = NIOLockedValueBox(try ConsoleBundle(folder: folder))
  }

  /// The files shipped in the binary.
  static func bundled() throws -> ConsoleSource {
    guard let folder = Bundle.module.url(forResource: "Console", withExtension: nil) else {
      throw Abort(.internalServerError, reason: "the console is missing from the bundle")
    }
    return try ConsoleSource(folder: folder, rereads: false)
  }

  func bundleForPage() throws -> ConsoleBundle {
    guard rereads else { return current.withLockedValue { $0 } }
    let fresh = try ConsoleBundle(folder: folder)
    current.withLockedValue { $0 = fresh }
    return fresh
  }

  func bundleForAsset() throws -> ConsoleBundle { current.withLockedValue { $0 } }
}
