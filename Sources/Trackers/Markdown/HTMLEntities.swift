/// Decodes HTML character references (named ones common in tracker text, and numeric ones).
enum HTMLEntities {
  static func decode(_ text: String) -> String {
    guard text.contains("&") else { return text }
    var output = ""
    var index = text.startIndex
    while index < text.endIndex {
      let char = text[index]
      guard char == "&", let semicolon = text[index...].prefix(12).firstIndex(of: ";") else {
        output.append(char)
        index = text.index(after: index)
        continue
      }
      let name = text[text.index(after: index)..<semicolon]
      if let decoded = decodeReference(String(name)) {
        output += decoded
        index = text.index(after: semicolon)
      } else {
        output.append(char)
        index = text.index(after: index)
      }
    }
    return output
  }

  private static func decodeReference(_ name: String) -> String? {
    if name.hasPrefix("#x") || name.hasPrefix("#X") {
      return UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String($0) }
    }
    if name.hasPrefix("#") {
      return UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init).map { String($0) }
    }
    return named[name]
  }

  private static let named: [String: String] = [
    "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{00A0}",
    "ndash": "\u{2013}", "mdash": "\u{2014}", "hellip": "\u{2026}", "laquo": "\u{00AB}",
    "raquo": "\u{00BB}", "lsquo": "\u{2018}", "rsquo": "\u{2019}", "ldquo": "\u{201C}",
    "rdquo": "\u{201D}", "bull": "\u{2022}", "copy": "\u{00A9}", "reg": "\u{00AE}",
    "trade": "\u{2122}", "euro": "\u{20AC}", "times": "\u{00D7}", "middot": "\u{00B7}",
    "rarr": "\u{2192}", "larr": "\u{2190}", "deg": "\u{00B0}",
  ]
}
