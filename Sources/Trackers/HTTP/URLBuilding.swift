import Foundation

/// Builds request URLs with properly percent-encoded query strings.
enum URLBuilding {
  /// `base + path` with `query` appended (`+` and other reserved characters encoded).
  static func url(_ base: String, _ path: String, query: [(String, String)] = []) -> String {
    var url = base.trimmingTrailingSlashes() + path
    if !query.isEmpty {
      url += "?" + query.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }
    return url
  }

  /// Percent-encodes a path segment or query component.
  static func encode(_ value: String) -> String {
    value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value
  }

  private static let unreserved = CharacterSet(
    charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
