import Templating

/// U+0000 has no place in a name, a title or a search, and PostgreSQL's `text` cannot store it
/// (SQLite can): requests carrying it are refused with a field error on both databases, and
/// text synced from trackers is stored without it.
enum NULCharacter {
  static let reason = "must not contain the NUL character (U+0000)"

  static func isIn(_ text: String) -> Bool {
    text.utf8.contains(0)
  }

  /// `text` without U+0000.
  static func removed(from text: String) -> String {
    isIn(text) ? String(text.unicodeScalars.filter { $0 != "\u{0}" }.map(Character.init)) : text
  }

  /// A violation for each string or member name in `value` that holds U+0000, at its JSON
  /// Pointer.
  static func violations(in value: JSONValue, at pointer: String = "") -> [SchemaViolation] {
    // Every request body passes here: look before building any member's pointer.
    guard isAnywhere(in: value) else { return [] }
    switch value {
    case .string(let text):
      return isIn(text) ? [SchemaViolation(pointer: pointer, reason: reason)] : []
    case .array(let items):
      return items.enumerated().flatMap { violations(in: $1, at: "\(pointer)/\($0)") }
    case .object(let object):
      return object.pairs.flatMap { key, nested in
        let path =
          pointer + "/"
          + key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
        return (isIn(key) ? [SchemaViolation(pointer: path, reason: reason)] : [])
          + violations(in: nested, at: path)
      }
    default:
      return []
    }
  }

  /// Whether a string or member name anywhere in `value` holds U+0000.
  static func isAnywhere(in value: JSONValue) -> Bool {
    switch value {
    case .string(let text): isIn(text)
    case .array(let items): items.contains { isAnywhere(in: $0) }
    case .object(let object):
      object.keys.contains { isIn($0) } || object.values.contains { isAnywhere(in: $0) }
    default: false
    }
  }
}
