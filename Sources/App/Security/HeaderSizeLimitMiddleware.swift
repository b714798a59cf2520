import Vapor

/// Refuses a request whose request line and header fields together exceed ``limit`` bytes with
/// 431 problem+json, before any other work. Beyond 80 KiB NIO's HTTP parser stops reading and
/// the connection closes without a response: a parser limit this middleware cannot reach, so
/// its own limit sits well below it.
struct HeaderSizeLimitMiddleware: AsyncMiddleware {
  /// 32 KiB: browsers and proxies keep whole header blocks far smaller (nginx's default is
  /// 4 × 8 KiB), and a JWT or a PAT fits many times over.
  static let limit = 32 * 1024

  func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
    let size = Self.size(of: request)
    guard size <= Self.limit else {
      throw AppError(
        .requestHeaderFieldsTooLarge, type: "header-fields-too-large",
        title: "Request header fields too large",
        detail:
          "The request line and headers take \(size) bytes; at most \(Self.limit) are accepted.")
    }
    return try await next.respond(to: request)
  }

  /// The bytes of the request line and the header fields as sent (`name: value\r\n` each).
  static func size(of request: Request) -> Int {
    var size = request.method.rawValue.utf8.count + request.url.string.utf8.count + 12
    for (name, value) in request.headers {
      size += name.utf8.count + value.utf8.count + 4
    }
    return size
  }
}
