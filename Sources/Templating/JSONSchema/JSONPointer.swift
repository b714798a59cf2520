import Foundation

/// JSON Pointer (RFC 6901) helpers: violations and schema errors name their location with one.
public enum JSONPointer {
  /// Escapes one reference token (`~` → `~0`, `/` → `~1`).
  public static func escape(_ token: String) -> String {
    guard token.contains(where: { $0 == "~" || $0 == "/" }) else { return token }
    return token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
  }

  /// `pointer` extended by one token, e.g. `appending("/a", "b/c")` is `/a/b~1c`.
  public static func appending(_ pointer: String, _ token: String) -> String {
    pointer + "/" + escape(token)
  }

  /// `pointer` extended by an array index.
  public static func appending(_ pointer: String, _ index: Int) -> String {
    pointer + "/" + String(index)
  }

  /// The pointer made of `tokens` (the empty pointer `""` for none).
  public static func make(_ tokens: [String]) -> String {
    tokens.reduce("") { appending($0, $1) }
  }

  /// The unescaped tokens of `pointer`, or `nil` if it is not a valid JSON Pointer
  /// (it must be empty or start with `/`, and `~` must be followed by `0` or `1`).
  public static func tokens(_ pointer: String) -> [String]? {
    guard !pointer.isEmpty else { return [] }
    guard pointer.hasPrefix("/") else { return nil }
    var tokens: [String] = []
    for raw in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
      var token = ""
      var iterator = raw.makeIterator()
      while let character = iterator.next() {
        if character == "~" {
          switch iterator.next() {
          case "0": token.append("~")
          case "1": token.append("/")
          default: return nil
          }
        } else {
          token.append(character)
        }
      }
      tokens.append(token)
    }
    return tokens
  }

  /// The tokens of a URI fragment holding a JSON Pointer (`#/a/b%20c`), percent-decoded first;
  /// `nil` if `fragment` (without the `#`) is not such a pointer.
  public static func tokens(fragment: String) -> [String]? {
    guard let decoded = fragment.removingPercentEncoding else { return nil }
    return tokens(decoded)
  }

  /// The value at `tokens` inside `root`, or `nil` if the path does not exist. Array tokens are
  /// decimal indexes without leading zeros.
  public static func resolve(_ tokens: [String], in root: JSONValue) -> JSONValue? {
    var current = root
    for token in tokens {
      switch current {
      case .object(let object):
        guard let next = object[token] else { return nil }
        current = next
      case .array(let array):
        guard let index = arrayIndex(token), index < array.count else { return nil }
        current = array[index]
      default:
        return nil
      }
    }
    return current
  }

  private static func arrayIndex(_ token: String) -> Int? {
    guard !token.isEmpty, token.allSatisfy(\.isASCII), token.allSatisfy(\.isNumber),
      token == "0" || !token.hasPrefix("0")
    else { return nil }
    return Int(token)
  }
}
