import Foundation

/// Converts Jira wiki markup (Jira Data Center, REST v2) to Markdown.
///
/// Blocks: `h1.`–`h6.`, `bq.`, `*`/`#`/`-` lists with mixed nesting, `{code}`, `{noformat}`,
/// `{quote}`, `{panel}` and the `{info}`/`{note}`/`{warning}`/`{tip}` macros, `||`/`|` tables,
/// `----`. Inlines are handled by ``WikiInlineParser``. Best effort: the raw string stays the
/// source of truth in `payload_json`.
public enum WikiMarkupConverter {
  /// Converts a wiki-markup string to Markdown (empty for `nil`).
  public static func markdown(from wiki: String?) -> String {
    guard let wiki, !wiki.isEmpty else { return "" }
    let text = wiki.replacingOccurrences(of: "\r\n", with: "\n")
      .replacingOccurrences(of: "\r", with: "\n")
    return MarkdownRenderer.render(parseBlocks(text))
  }

  // MARK: - Blocks

  static func parseBlocks(_ text: String) -> [MarkdownBlock] {
    var parser = BlockParser(lines: text.components(separatedBy: "\n"))
    return parser.parse()
  }

  private struct BlockParser {
    var lines: [String]
    var index = 0
    var blocks: [MarkdownBlock] = []
    var paragraph: [String] = []

    init(lines: [String]) {
      self.lines = lines
    }

    mutating func parse() -> [MarkdownBlock] {
      while index < lines.count {
        let line = lines[index]
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty {
          flushParagraph()
          index += 1
        } else if let macro = Self.openingMacro(trimmed) {
          flushParagraph()
          parseMacro(macro, firstLine: trimmed)
        } else if let heading = Self.heading(trimmed) {
          flushParagraph()
          blocks.append(heading)
          index += 1
        } else if trimmed.hasPrefix("bq. ") {
          flushParagraph()
          blocks.append(.quote([.paragraph(WikiInlineParser.parse(String(trimmed.dropFirst(4))))]))
          index += 1
        } else if trimmed.range(of: #"^-{4,}$"#, options: .regularExpression) != nil {
          flushParagraph()
          blocks.append(.rule)
          index += 1
        } else if Self.listMarker(trimmed) != nil {
          flushParagraph()
          blocks.append(parseList())
        } else if trimmed.hasPrefix("|") {
          flushParagraph()
          blocks.append(parseTable())
        } else {
          paragraph.append(trimmed)
          index += 1
        }
      }
      flushParagraph()
      return blocks
    }

    mutating func flushParagraph() {
      guard !paragraph.isEmpty else { return }
      var inlines: [MarkdownInline] = []
      for (number, line) in paragraph.enumerated() {
        if number > 0 { inlines.append(.text("\n")) }
        inlines += WikiInlineParser.parse(line)
      }
      blocks.append(.paragraph(inlines))
      paragraph = []
    }

    static func heading(_ line: String) -> MarkdownBlock? {
      guard line.count >= 3, line.first == "h",
        let level = line.dropFirst().first?.wholeNumberValue,
        (1...6).contains(level), line.dropFirst(2).hasPrefix(".")
      else { return nil }
      let text = line.dropFirst(3).trimmingCharacters(in: .whitespaces)
      return .heading(level, WikiInlineParser.parse(text))
    }

    // MARK: Macros

    struct Macro {
      var name: String
      var parameters: String
    }

    static let blockMacros: Set<String> = [
      "code", "noformat", "quote", "panel", "info", "note", "warning", "tip",
    ]

    static func openingMacro(_ line: String) -> Macro? {
      guard line.hasPrefix("{"), let close = line.firstIndex(of: "}") else { return nil }
      let inside = line[line.index(after: line.startIndex)..<close]
      let name = inside.prefix { $0 != ":" }.lowercased()
      guard blockMacros.contains(name) else { return nil }
      let parameters = inside.dropFirst(name.count).drop { $0 == ":" }
      return Macro(name: name, parameters: String(parameters))
    }

    /// Reads a `{macro}` … `{macro}` body (possibly on one line) and appends its block.
    mutating func parseMacro(_ macro: Macro, firstLine: String) {
      let closing = "{\(macro.name)}"
      let afterOpening = String(
        firstLine[firstLine.index(after: firstLine.firstIndex(of: "}")!)...])
      var body: [String] = []
      var rest = afterOpening
      index += 1
      var closed = false
      while true {
        if let range = rest.range(of: closing, options: .caseInsensitive) {
          body.append(String(rest[..<range.lowerBound]))
          let trailing = rest[range.upperBound...].trimmingCharacters(in: .whitespaces)
          if !trailing.isEmpty {
            index -= 1
            lines[index] = trailing
          }
          closed = true
          break
        }
        body.append(rest)
        guard index < lines.count else { break }
        rest = lines[index]
        index += 1
      }
      if body.first?.trimmingCharacters(in: .whitespaces).isEmpty == true { body.removeFirst() }
      if body.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { body.removeLast() }
      let text = body.joined(separator: "\n")
      _ = closed
      switch macro.name {
      case "code":
        blocks.append(.code(language: Self.codeLanguage(macro.parameters), text: text))
      case "noformat":
        blocks.append(.code(language: nil, text: text))
      case "quote":
        blocks.append(.quote(WikiMarkupConverter.parseBlocks(text)))
      case "panel":
        let title = Self.parameter("title", in: macro.parameters) ?? "Panel"
        blocks.append(.callout(title: title, WikiMarkupConverter.parseBlocks(text)))
      default:
        let title = Self.parameter("title", in: macro.parameters)
        let kind = macro.name.prefix(1).uppercased() + macro.name.dropFirst()
        blocks.append(
          .callout(
            title: title.map { "\(kind): \($0)" } ?? kind, WikiMarkupConverter.parseBlocks(text)))
      }
    }

    static func codeLanguage(_ parameters: String) -> String? {
      let parts = parameters.split(separator: "|").map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      if let explicit = parameter("language", in: parameters) { return explicit.lowercased() }
      guard let first = parts.first, !first.isEmpty, !first.contains("=") else { return nil }
      return first.lowercased()
    }

    static func parameter(_ name: String, in parameters: String) -> String? {
      for part in parameters.split(separator: "|") {
        let pair = part.split(separator: "=", maxSplits: 1)
        if pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == name {
          return pair[1].trimmingCharacters(in: .whitespaces)
        }
      }
      return nil
    }

    // MARK: Lists

    /// The marker (`*`, `#`, `**`, `#*`, `-`) of a list line, or `nil`.
    static func listMarker(_ line: String) -> Substring? {
      let marker = line.prefix { $0 == "*" || $0 == "#" || $0 == "-" }
      guard !marker.isEmpty, line.dropFirst(marker.count).first == " " else { return nil }
      if marker.contains("-") && marker != "-" { return nil }
      return marker
    }

    mutating func parseList() -> MarkdownBlock {
      var entries: [(marker: Substring, text: String)] = []
      while index < lines.count {
        let trimmed = lines[index].trimmingCharacters(in: .whitespaces)
        guard let marker = Self.listMarker(trimmed) else {
          // A plain line right after an item continues it.
          if !trimmed.isEmpty, !entries.isEmpty, Self.openingMacro(trimmed) == nil,
            Self.heading(trimmed) == nil, !trimmed.hasPrefix("|")
          {
            entries[entries.count - 1].text += "\n" + trimmed
            index += 1
            continue
          }
          break
        }
        entries.append((marker, String(trimmed.dropFirst(marker.count + 1))))
        index += 1
      }
      var position = 0
      return Self.buildList(entries, depth: 1, position: &position)
    }

    static func buildList(
      _ entries: [(marker: Substring, text: String)], depth: Int, position: inout Int
    ) -> MarkdownBlock {
      let ordered = entries[position].marker.dropFirst(depth - 1).first == "#"
      var items: [MarkdownListItem] = []
      while position < entries.count {
        let entry = entries[position]
        if entry.marker.count < depth { break }
        if entry.marker.count > depth {
          let nested = buildList(entries, depth: depth + 1, position: &position)
          if items.isEmpty { items.append(MarkdownListItem([])) }
          items[items.count - 1].blocks.append(nested)
          continue
        }
        if !items.isEmpty, (entry.marker.last == "#") != ordered { break }
        items.append(MarkdownListItem([.paragraph(Self.inlineLines(entry.text))]))
        position += 1
      }
      return .list(start: ordered ? 1 : nil, items: items)
    }

    static func inlineLines(_ text: String) -> [MarkdownInline] {
      var inlines: [MarkdownInline] = []
      for (number, line) in text.split(separator: "\n").enumerated() {
        if number > 0 { inlines.append(.hardBreak) }
        inlines += WikiInlineParser.parse(String(line))
      }
      return inlines
    }

    // MARK: Tables

    mutating func parseTable() -> MarkdownBlock {
      var rows: [[[MarkdownBlock]]] = []
      while index < lines.count {
        let trimmed = lines[index].trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("|") else { break }
        rows.append(Self.splitCells(trimmed).map { [.paragraph(WikiInlineParser.parse($0))] })
        index += 1
      }
      return .table(rows)
    }

    /// Splits `||a||b||` or `|a|[x|y]|` into cell texts, ignoring `|` inside `[…]` and `{…}`.
    static func splitCells(_ line: String) -> [String] {
      var cells: [String] = []
      var current = ""
      var bracketDepth = 0
      var braceDepth = 0
      for char in line {
        switch char {
        case "[": bracketDepth += 1
        case "]": bracketDepth = max(0, bracketDepth - 1)
        case "{": braceDepth += 1
        case "}": braceDepth = max(0, braceDepth - 1)
        default: break
        }
        if char == "|", bracketDepth == 0, braceDepth == 0 {
          cells.append(current)
          current = ""
        } else {
          current.append(char)
        }
      }
      cells.append(current)
      // `||a||b||` yields empty strings between double bars: drop the separators' empties.
      let isHeader = line.hasPrefix("||")
      var result = cells.dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
      if isHeader { result = result.enumerated().filter { $0.offset % 2 == 1 }.map(\.element) }
      while result.last?.isEmpty == true { result.removeLast() }
      return result
    }
  }
}
