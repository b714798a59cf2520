import Foundation

/// A compiled `pattern`: an ECMA-262 regular expression run by ICU (`NSRegularExpression`).
///
/// JSON Schema patterns are ECMA-262. ICU differs in a few places that matter, so the pattern is
/// rewritten first: `\d`, `\w` (and negations) are ASCII-only in ECMA-262, `$` matches only at the
/// very end of input, `.` excludes only `\n \r \u2028 \u2029`, `[` inside a class is literal, and
/// `[^]` / `[]` mean "any character" / "nothing". Matching is an unanchored search.
struct SchemaPattern: Sendable {
  /// The pattern as written in the schema.
  let source: String
  private let compiled: CompiledRegex

  /// Compiles `source`, reusing an earlier compilation of the same text.
  init(_ source: String) throws(SchemaError) {
    self.source = source
    if let cached = PatternCache.shared.regex(for: source) {
      compiled = cached
      return
    }
    do {
      compiled = CompiledRegex(try NSRegularExpression(pattern: Self.translate(source)))
    } catch {
      throw SchemaError(pointer: "", message: "invalid regular expression \"\(source)\"")
    }
    PatternCache.shared.store(compiled, for: source)
  }

  /// Whether the pattern matches somewhere in `string`.
  func matches(_ string: String) -> Bool {
    let range = NSRange(string.startIndex..<string.endIndex, in: string)
    return compiled.regex.firstMatch(in: string, options: [], range: range) != nil
  }

  /// Rewrites an ECMA-262 pattern into ICU syntax with the same meaning (see the type's doc).
  static func translate(_ pattern: String) -> String {
    let scalars = Array(pattern.unicodeScalars)
    var output = ""
    var inClass = false
    var index = 0
    while index < scalars.count {
      let scalar = scalars[index]
      switch scalar {
      case "\\":
        guard index + 1 < scalars.count else {
          output += String(scalar)
          index += 1
          continue
        }
        let next = scalars[index + 1]
        index += 2
        switch next {
        case "d": output += inClass ? "0-9" : "[0-9]"
        case "D": output += inClass ? notDigitRanges : "[^0-9]"
        case "w": output += inClass ? "a-zA-Z0-9_" : "[a-zA-Z0-9_]"
        case "W": output += inClass ? notWordRanges : "[^a-zA-Z0-9_]"
        case "u" where index < scalars.count && scalars[index] == "{":
          output += "\\x"  // \u{1F600} is ICU's \x{1F600}
        case "/":
          output += "/"
        case "b" where inClass:
          output += "\\x{8}"  // backspace inside a class
        default:
          output += "\\"
          output += String(next)
        }
        continue
      case "[" where !inClass:
        let rest = scalars[(index + 1)...]
        if rest.starts(with: ["^", "]"]) {
          output += "[\\x{0}-\\x{10FFFF}]"
          index += 3
          continue
        }
        if rest.first == "]" {
          output += "(?!)"
          index += 2
          continue
        }
        inClass = true
        output += "["
        if rest.first == "^" {
          output += "^"
          index += 1
        }
      case "[" where inClass:
        output += "\\["
      case "&" where inClass:
        output += "\\&"
      case "]" where inClass:
        inClass = false
        output += "]"
      case "$" where !inClass:
        output += "\\z"
      case "." where !inClass:
        output += "[^\\n\\r\\x{2028}\\x{2029}]"
      default:
        output += String(scalar)
      }
      index += 1
    }
    return output
  }

  private static let notDigitRanges = "\\x{0}-\\x{2F}\\x{3A}-\\x{10FFFF}"
  private static let notWordRanges =
    "\\x{0}-\\x{2F}\\x{3A}-\\x{40}\\x{5B}-\\x{5E}\\x{60}\\x{7B}-\\x{10FFFF}"
}

/// An `NSRegularExpression`, which Apple documents as immutable and safe to share between
/// threads (not every SDK marks it `Sendable`).
private final class CompiledRegex: @unchecked Sendable {
  let regex: NSRegularExpression

  init(_ regex: NSRegularExpression) {
    self.regex = regex
  }
}

/// Compiled patterns shared by all schemas: templates are linted and validated again and again
/// with the same few patterns.
private final class PatternCache: @unchecked Sendable {
  static let shared = PatternCache()

  private let lock = NSLock()
  private var entries: [String: CompiledRegex] = [:]
  private let capacity = 512

  func regex(for source: String) -> CompiledRegex? {
    lock.withLock { entries[source] }
  }

  func store(_ regex: CompiledRegex, for source: String) {
    lock.withLock {
      if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
      entries[source] = regex
    }
  }
}
