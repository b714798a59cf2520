import Foundation

/// Renders ``MarkdownBlock`` trees as CommonMark + GFM text.
enum MarkdownRenderer {
  /// Renders blocks separated by blank lines, with no trailing newline.
  static func render(_ blocks: [MarkdownBlock]) -> String {
    blocks.map(render).filter { !$0.isEmpty }.joined(separator: "\n\n")
  }

  static func render(_ block: MarkdownBlock) -> String {
    switch block {
    case .paragraph(let inlines):
      return escapeLineStarts(inline(inlines).trimmingCharacters(in: .whitespacesAndNewlines))
    case .heading(let level, let inlines):
      let text = inline(inlines).replacingOccurrences(of: "\\\n", with: " ")
        .trimmingCharacters(in: .whitespacesAndNewlines)
      guard !text.isEmpty else { return "" }
      return String(repeating: "#", count: min(max(level, 1), 6)) + " " + text
    case .list(let start, let items):
      return list(start: start, items: items)
    case .code(let language, let text):
      let fence = String(repeating: "`", count: max(3, longestRun(of: "`", in: text) + 1))
      let body = text.hasSuffix("\n") ? String(text.dropLast()) : text
      return fence + (language ?? "") + "\n" + body + "\n" + fence
    case .quote(let blocks):
      return quote(render(blocks))
    case .callout(let title, let blocks):
      let body = render(blocks)
      return quote(body.isEmpty ? "**\(title)**" : "**\(title)**\n\n" + body)
    case .rule:
      return "---"
    case .table(let rows):
      return table(rows)
    }
  }

  // MARK: - Blocks

  private static func quote(_ text: String) -> String {
    guard !text.isEmpty else { return "" }
    return text.split(separator: "\n", omittingEmptySubsequences: false)
      .map { $0.isEmpty ? ">" : "> " + $0 }
      .joined(separator: "\n")
  }

  private static func list(start: Int?, items: [MarkdownListItem]) -> String {
    var lines: [String] = []
    for (index, item) in items.enumerated() {
      var marker = start.map { "\($0 + index). " } ?? "- "
      if let checked = item.checked { marker += checked ? "[x] " : "[ ] " }
      let indent = String(repeating: " ", count: start.map { "\($0 + index). ".count } ?? 2)
      let body = listItemBody(item.blocks)
      let bodyLines = body.split(separator: "\n", omittingEmptySubsequences: false)
      for (lineIndex, line) in bodyLines.enumerated() {
        if lineIndex == 0 {
          lines.append((marker + line).trimmingTrailingWhitespace())
        } else {
          lines.append(line.isEmpty ? "" : indent + line)
        }
      }
    }
    return lines.joined(separator: "\n")
  }

  /// Item blocks: a nested list or code directly under the text stays tight; two paragraphs
  /// need a blank line between them.
  private static func listItemBody(_ blocks: [MarkdownBlock]) -> String {
    var result = ""
    var previous: MarkdownBlock?
    for block in blocks {
      let text = render(block)
      guard !text.isEmpty else { continue }
      if let previous {
        result += needsBlankLine(previous, block) ? "\n\n" : "\n"
      }
      result += text
      previous = block
    }
    return result
  }

  private static func needsBlankLine(_ previous: MarkdownBlock, _ next: MarkdownBlock) -> Bool {
    switch (previous, next) {
    case (.paragraph, .list), (.heading, .list), (.paragraph, .code): return false
    default: return true
    }
  }

  private static func table(_ rows: [[[MarkdownBlock]]]) -> String {
    guard !rows.isEmpty else { return "" }
    let width = rows.map(\.count).max() ?? 0
    guard width > 0 else { return "" }
    func cell(_ blocks: [MarkdownBlock]) -> String {
      blocks.map(render).filter { !$0.isEmpty }.joined(separator: "<br>")
        .replacingOccurrences(of: "\\\n", with: "<br>")
        .replacingOccurrences(of: "\n", with: "<br>")
        .replacingOccurrences(of: "|", with: "\\|")
    }
    func row(_ cells: [[MarkdownBlock]]) -> String {
      let texts = cells.map(cell) + Array(repeating: "", count: width - cells.count)
      return "| " + texts.joined(separator: " | ") + " |"
    }
    var lines = [row(rows[0])]
    lines.append("|" + Array(repeating: " --- |", count: width).joined())
    lines += rows.dropFirst().map(row)
    return lines.joined(separator: "\n")
  }

  // MARK: - Inlines

  static func inline(_ inlines: [MarkdownInline]) -> String {
    var output = ""
    for node in merged(inlines) {
      output += render(node)
    }
    return output
  }

  private static func render(_ node: MarkdownInline) -> String {
    switch node {
    case .text(let text):
      return escape(text)
    case .strong(let children):
      return wrap(children, "**")
    case .emphasis(let children):
      return wrap(children, "*")
    case .strike(let children):
      return wrap(children, "~~")
    case .code(let text):
      return codeSpan(text)
    case .link(let url, let children):
      let label = inline(children)
      let target = linkTarget(url)
      if label.isEmpty || plainText(children) == url {
        return url.contains(" ") || url.contains(">") ? "[\(url)](\(target))" : "<\(url)>"
      }
      return "[\(label)](\(target))"
    case .image(let url, let alt):
      return "![\(escape(alt))](\(linkTarget(url)))"
    case .hardBreak:
      return "\\\n"
    case .raw(let text):
      return text
    }
  }

  /// Wraps rendered content in a delimiter, moving edge whitespace outside it so that
  /// `**after **` never happens.
  private static func wrap(_ children: [MarkdownInline], _ delimiter: String) -> String {
    let content = inline(children)
    let trimmed = content.trimmingCharacters(in: .whitespaces)
    guard !trimmed.isEmpty else { return content }
    let leading = String(content.prefix { $0 == " " || $0 == "\t" })
    let trailing = String(content.reversed().prefix { $0 == " " || $0 == "\t" })
    return leading + delimiter + trimmed + delimiter + trailing
  }

  /// Joins adjacent text nodes and adjacent identical wrappers (`**a****b**` → `**ab**`).
  private static func merged(_ inlines: [MarkdownInline]) -> [MarkdownInline] {
    var result: [MarkdownInline] = []
    for node in inlines {
      switch (result.last, node) {
      case (.text(let a)?, .text(let b)):
        result[result.count - 1] = .text(a + b)
      case (.strong(let a)?, .strong(let b)):
        result[result.count - 1] = .strong(a + b)
      case (.emphasis(let a)?, .emphasis(let b)):
        result[result.count - 1] = .emphasis(a + b)
      case (.strike(let a)?, .strike(let b)):
        result[result.count - 1] = .strike(a + b)
      case (.link(let u1, let a)?, .link(let u2, let b)) where u1 == u2:
        result[result.count - 1] = .link(url: u1, a + b)
      default:
        result.append(node)
      }
    }
    return result
  }

  static func plainText(_ inlines: [MarkdownInline]) -> String {
    inlines.map { node -> String in
      switch node {
      case .text(let text), .code(let text), .raw(let text): return text
      case .strong(let c), .emphasis(let c), .strike(let c), .link(_, let c): return plainText(c)
      case .image(_, let alt): return alt
      case .hardBreak: return "\n"
      }
    }.joined()
  }

  private static func codeSpan(_ text: String) -> String {
    let fence = String(repeating: "`", count: longestRun(of: "`", in: text) + 1)
    let pad = text.hasPrefix("`") || text.hasSuffix("`") ? " " : ""
    return fence + pad + text.replacingOccurrences(of: "\n", with: " ") + pad + fence
  }

  private static func linkTarget(_ url: String) -> String {
    url.replacingOccurrences(of: " ", with: "%20")
      .replacingOccurrences(of: "(", with: "%28")
      .replacingOccurrences(of: ")", with: "%29")
  }

  private static func longestRun(of character: Character, in text: String) -> Int {
    var longest = 0
    var current = 0
    for char in text {
      current = char == character ? current + 1 : 0
      longest = max(longest, current)
    }
    return longest
  }

  // MARK: - Escaping

  /// Escapes only what Markdown would otherwise read as markup.
  static func escape(_ text: String) -> String {
    let chars = Array(text)
    var output = ""
    output.reserveCapacity(chars.count)
    for (index, char) in chars.enumerated() {
      let previous = index > 0 ? chars[index - 1] : nil
      let next = index + 1 < chars.count ? chars[index + 1] : nil
      switch char {
      case "\\", "`":
        output += "\\" + String(char)
      case "*", "_":
        let spaced = (previous?.isWhitespace ?? true) && (next?.isWhitespace ?? true)
        let intraword =
          char == "_" && (previous.map(isWordCharacter) ?? false)
          && (next.map(isWordCharacter) ?? false)
        output += spaced || intraword ? String(char) : "\\" + String(char)
      case "~":
        output += next == "~" || previous == "~" ? "\\~" : "~"
      case "<":
        let opensTag = next.map { $0.isLetter || $0 == "/" || $0 == "!" || $0 == "?" } ?? false
        output += opensTag ? "\\<" : "<"
      case "]":
        let closesLink = next == "(" || next == "[" || next == ":"
        output += closesLink ? "\\]" : "]"
      default:
        output.append(char)
      }
    }
    return output
  }

  private static func isWordCharacter(_ char: Character) -> Bool {
    char.isLetter || char.isNumber
  }

  /// Escapes line starts that would turn a paragraph line into a heading, quote, list or rule.
  static func escapeLineStarts(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
      let body = line.drop { $0 == " " }
      let indent = String(line.prefix(line.count - body.count))
      guard let first = body.first else { return String(line) }
      let rest = body.dropFirst()
      if first == "#" || first == ">" {
        return indent + "\\" + body
      }
      if first == "-" || first == "+" || first == "=" {
        if rest.first == " " || rest.allSatisfy({ $0 == first }) { return indent + "\\" + body }
      }
      if first.isNumber {
        let digits = body.prefix { $0.isNumber }
        let after = body.dropFirst(digits.count)
        if let mark = after.first, mark == "." || mark == ")",
          after.dropFirst().first == " " || after.count == 1
        {
          return indent + digits + "\\" + after
        }
      }
      return String(line)
    }.joined(separator: "\n")
  }
}

extension StringProtocol {
  func trimmingTrailingWhitespace() -> String {
    var text = String(self)
    while let last = text.last, last == " " || last == "\t" { text.removeLast() }
    return text
  }
}
