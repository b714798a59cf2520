import Foundation

/// The MCP client's name and version, carried in the `Mcp-Session-Id` header.
///
/// The endpoint is stateless, so that any API process can answer any request. The client says
/// who it is only in `initialize`; the answer to it sets a session id that encodes the name and
/// version, and the spec has clients send that id back on every later request. Nothing is
/// stored, and a forged id only mislabels the caller's own statistics.
struct MCPClientTag: Equatable, Sendable {
  static let maximumNameLength = 64
  static let maximumVersionLength = 32
  private static let prefix = "ps1."

  let name: String
  let version: String

  init(name: String, version: String) {
    self.name = Self.clean(name, limit: Self.maximumNameLength)
    self.version = Self.clean(version, limit: Self.maximumVersionLength)
  }

  /// A session id: visible ASCII only, as the spec requires.
  var sessionID: String {
    Self.prefix + Data("\(name)\n\(version)".utf8).base64URLEncodedString
  }

  init?(sessionID: String) {
    guard sessionID.hasPrefix(Self.prefix), sessionID.count <= 256 else { return nil }
    guard let data = Data(base64URLEncoded: String(sessionID.dropFirst(Self.prefix.count))),
      let text = String(data: data, encoding: .utf8)
    else { return nil }
    let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty else { return nil }
    self.init(name: String(parts[0]), version: String(parts[1]))
  }

  /// Printable characters only, so that a name cannot forge log lines or break a header.
  private static func clean(_ text: String, limit: Int) -> String {
    var kept = String.UnicodeScalarView()
    for scalar in text.unicodeScalars where scalar.value >= 0x20 && scalar.value != 0x7F {
      guard kept.count < limit else { break }
      kept.append(scalar)
    }
    return String(kept).trimmingCharacters(in: .whitespaces)
  }
}
