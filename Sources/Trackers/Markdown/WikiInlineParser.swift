/// Parses one line of Jira wiki inline markup: `*bold*`, `_italic_`, `-strike-`, `+under+`,
/// `^sup^`, `~sub~`, `??cite??`, `{{mono}}`, `[text|url]`, `[url]`, `[~user]`, `[^file]`,
/// `!image.png!`, `{color}` (dropped), `\\` line breaks and `\x` escapes.
enum WikiInlineParser {
  static func parse(_ text: String) -> [MarkdownInline] {
    var parser = Parser(chars: Array(text))
    return parser.parse(until: nil)
  }

  private struct Parser {
    let chars: [Character]
    var position = 0
    var output: [MarkdownInline] = []
    var buffer = ""

    init(chars: [Character]) {
      self.chars = chars
    }

    func char(at offset: Int) -> Character? {
      let index = position + offset
      return index >= 0 && index < chars.count ? chars[index] : nil
    }

    func starts(with literal: String) -> Bool {
      var index = position
      for char in literal {
        guard index < chars.count, chars[index] == char else { return false }
        index += 1
      }
      return true
    }

    func find(_ literal: String, from start: Int) -> Int? {
      let target = Array(literal)
      var index = start
      while index + target.count <= chars.count {
        if Array(chars[index..<(index + target.count)]) == target { return index }
        index += 1
      }
      return nil
    }

    mutating func flush() {
      if !buffer.isEmpty {
        output.append(.text(buffer))
        buffer = ""
      }
    }

    mutating func emit(_ node: MarkdownInline) {
      flush()
      output.append(node)
    }

    mutating func parse(until end: Int?) -> [MarkdownInline] {
      let limit = end ?? chars.count
      while position < limit {
        let current = chars[position]
        if current == "\\" {
          if char(at: 1) == "\\" {
            emit(.hardBreak)
            position += 2
          } else if let next = char(at: 1) {
            buffer.append(next)
            position += 2
          } else {
            buffer.append(current)
            position += 1
          }
          continue
        }
        if starts(with: "{{"), let close = find("}}", from: position + 2), close < limit {
          emit(.code(String(chars[(position + 2)..<close])))
          position = close + 2
          continue
        }
        if current == "{", let close = find("}", from: position + 1), close < limit {
          let name = String(chars[(position + 1)..<close]).lowercased()
          if name.hasPrefix("color") || name == "anchor" || name.hasPrefix("anchor:") {
            position = close + 1
            continue
          }
        }
        if current == "[", let close = find("]", from: position + 1), close < limit {
          emit(link(String(chars[(position + 1)..<close])))
          position = close + 1
          continue
        }
        if current == "!", let image = image(limit: limit) {
          emit(image.node)
          position = image.end
          continue
        }
        if let delimiter = Self.delimiters.first(where: { starts(with: $0) }),
          let close = closing(delimiter, limit: limit)
        {
          let start = position + delimiter.count
          var inner = Parser(chars: chars)
          inner.position = start
          let children = inner.parse(until: close)
          emit(Self.wrap(children, delimiter))
          position = close + delimiter.count
          continue
        }
        buffer.append(current)
        position += 1
      }
      flush()
      return output
    }

    static let delimiters = ["??", "*", "_", "-", "+", "^", "~"]

    static func wrap(_ children: [MarkdownInline], _ delimiter: String) -> MarkdownInline {
      switch delimiter {
      case "*": return .strong(children)
      case "_", "??": return .emphasis(children)
      case "-": return .strike(children)
      case "^": return .raw("<sup>\(MarkdownRenderer.inline(children))</sup>")
      case "~": return .raw("<sub>\(MarkdownRenderer.inline(children))</sub>")
      default: return .raw(MarkdownRenderer.inline(children))
      }
    }

    /// The index of the delimiter closing the one at `position`, when this one can open:
    /// preceded by a non-word character, followed by a non-space, closed before a non-word.
    func closing(_ delimiter: String, limit: Int) -> Int? {
      let length = delimiter.count
      // Superscript and subscript also work inside words (`x^2^`, `H~2~O`).
      let intraword = delimiter == "^" || delimiter == "~"
      if !intraword, let previous = char(at: -1), previous.isLetter || previous.isNumber {
        return nil
      }
      guard let first = char(at: length), !first.isWhitespace else { return nil }
      if delimiter.count == 1, first == Character(delimiter) { return nil }
      var index = position + length + 1
      while index + length <= limit {
        if String(chars[index..<(index + length)]) == delimiter, !chars[index - 1].isWhitespace {
          let after = index + length < chars.count ? chars[index + length] : nil
          if intraword || after.map({ !($0.isLetter || $0.isNumber) }) ?? true { return index }
        }
        index += 1
      }
      return nil
    }

    func link(_ inside: String) -> MarkdownInline {
      if inside.hasPrefix("~") {
        let user = inside.dropFirst().replacingOccurrences(of: "accountid:", with: "")
        return .text("@" + user)
      }
      if inside.hasPrefix("^") {
        return .raw("[attachment: \(MarkdownRenderer.escape(String(inside.dropFirst())))]")
      }
      let parts = inside.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
      if parts.count >= 2 {
        let url = parts[1].trimmingCharacters(in: .whitespaces)
        let label = WikiInlineParser.parse(parts[0])
        if url.hasPrefix("~") { return .text("@" + url.dropFirst()) }
        return .link(url: url, label)
      }
      let target = inside.trimmingCharacters(in: .whitespaces)
      if target.hasPrefix("#") { return .text(String(target.dropFirst())) }
      if target.contains("://") || target.hasPrefix("mailto:") { return .link(url: target, []) }
      return .text("[" + inside + "]")
    }

    func image(limit: Int) -> (node: MarkdownInline, end: Int)? {
      guard let close = find("!", from: position + 1), close < limit, close > position + 1 else {
        return nil
      }
      let inside = String(chars[(position + 1)..<close])
      guard !inside.contains(" "), inside.contains(".") else { return nil }
      let source = String(inside.split(separator: "|").first ?? "")
      if source.contains("://") { return (.image(url: source, alt: ""), close + 1) }
      return (.raw("[image: \(MarkdownRenderer.escape(source))]"), close + 1)
    }
  }
}
