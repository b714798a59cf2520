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

  /// The page after `url` from GitLab's `X-Next-Page` (offset pagination without a `Link`
  /// header, as some proxies leave it); nil when the header is empty or absent.
  static func offsetPage(after url: String, nextPage header: String?) -> String? {
    guard let page = header.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }), page > 1,
      var components = URLComponents(string: url)
    else { return nil }
    components.percentEncodedQueryItems =
      (components.percentEncodedQueryItems ?? []).filter { $0.name != "page" }
      + [URLQueryItem(name: "page", value: String(page))]
    return components.string
  }
}
