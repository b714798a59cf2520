import Foundation

/// RFC 8288 `Link` headers as GitHub and GitLab send them:
/// `<url>; rel="next", <url>; rel="last"`.
enum LinkHeader {
  /// The `rel="next"` target, or nil on the last page.
  static func next(_ header: String?) -> String? {
    guard let header else { return nil }
    for part in header.split(separator: ",") {
      let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
      guard let target = pieces.first, target.hasPrefix("<"), target.hasSuffix(">"),
        pieces.dropFirst().contains(where: { $0 == "rel=\"next\"" || $0 == "rel=next" })
      else { continue }
      return String(target.dropFirst().dropLast())
    }
    return nil
  }
}
