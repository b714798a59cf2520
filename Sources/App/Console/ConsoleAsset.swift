import Foundation

/// One static file of the console: its bytes, media type and content-hashed name.
struct ConsoleAsset: Sendable {
  /// The path under `/assets/`, e.g. `lib/api.js`.
  let path: String
  let bytes: Data
  let contentType: String
  /// The first 12 hex digits of the bytes' SHA-256: a changed file gets a new URL, so a
  /// browser may keep any hashed URL forever.
  let hash: String

  init(path: String, bytes: Data) {
    self.path = path
    self.bytes = bytes
    self.contentType = Self.contentType(of: path)
    self.hash = String(SHA256Digest.hex(bytes).prefix(12))
  }

  /// `lib/api.js` → `lib/api.3f2a1b4c5d6e.js`.
  var hashedPath: String {
    let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
    guard let dot = path[slash...].lastIndex(of: ".") else { return "\(path).\(hash)" }
    return "\(path[..<dot]).\(hash)\(path[dot...])"
  }

  var url: String { "/assets/\(hashedPath)" }
  var isModule: Bool { path.hasSuffix(".js") }

  static func contentType(of path: String) -> String {
    switch path.split(separator: ".").last.map(String.init) ?? "" {
    case "js": "text/javascript; charset=utf-8"
    case "css": "text/css; charset=utf-8"
    case "html": "text/html; charset=utf-8"
    case "svg": "image/svg+xml"
    case "png": "image/png"
    case "ico": "image/x-icon"
    case "json": "application/json"
    case "woff2": "font/woff2"
    default: "application/octet-stream"
    }
  }
}
