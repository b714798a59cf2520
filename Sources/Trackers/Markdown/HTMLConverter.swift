import Foundation

/// Converts HTML (old Teamwork task descriptions, Jira rendered fields) to Markdown.
///
/// Scripts, styles and comments are dropped; unknown elements keep their text.
public enum HTMLConverter {
  /// Converts an HTML fragment to Markdown.
  public static func markdown(from html: String?) -> String {
    guard let html, !html.isEmpty else { return "" }
    return MarkdownRenderer.render(blocks(HTMLParser.parse(html)))
  }

  typealias Node = HTMLParser.Node

  private static let blockElements: Set<String> = [
    "p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "hr", "table",
    "thead", "tbody", "tfoot", "tr", "dl", "dt", "dd", "details", "summary", "body", "html",
  ]

  static func blocks(_ nodes: [Node]) -> [MarkdownBlock] {
    var result: [MarkdownBlock] = []
    var pending: [Node] = []
    func flush() {
      guard !pending.isEmpty else { return }
      let inlines = normalizeWhitespace(pending.flatMap(inline))
      if !MarkdownRenderer.plainText(inlines).trimmingCharacters(in: .whitespacesAndNewlines)
        .isEmpty || inlines.contains(where: isImage)
      {
        result.append(.paragraph(inlines))
      }
      pending = []
    }
    for node in nodes {
      if case .element(let name, _, _) = node, blockElements.contains(name) {
        flush()
        result += block(node)
      } else {
        pending.append(node)
      }
    }
    flush()
    return result
  }

  private static func isImage(_ inline: MarkdownInline) -> Bool {
    if case .image = inline { return true }
    return false
  }

  private static func block(_ node: Node) -> [MarkdownBlock] {
    guard case .element(let name, let attributes, let children) = node else { return [] }
    switch name {
    case "h1", "h2", "h3", "h4", "h5", "h6":
      let level = Int(String(name.dropFirst())) ?? 1
      return [.heading(level, normalizeWhitespace(children.flatMap(inline)))]
    case "ul":
      return [.list(start: nil, items: listItems(children))]
    case "ol":
      let start = attributes["start"].flatMap { Int($0) } ?? 1
      return [.list(start: start, items: listItems(children))]
    case "li":
      return [.list(start: nil, items: listItems([node]))]
    case "blockquote":
      return [.quote(blocks(children))]
    case "pre":
      return [.code(language: codeLanguage(node), text: textContent(children))]
    case "hr":
      return [.rule]
    case "table":
      return [.table(tableRows(children))]
    case "dt":
      return [.paragraph([.strong(normalizeWhitespace(children.flatMap(inline)))])]
    default:
      return blocks(children)
    }
  }

  private static func listItems(_ nodes: [Node]) -> [MarkdownListItem] {
    var items: [MarkdownListItem] = []
    for node in nodes {
      guard case .element(let name, _, var children) = node else {
        if case .text(let text) = node, !text.trimmingCharacters(in: .whitespaces).isEmpty {
          items.append(MarkdownListItem([.paragraph([.text(text)])]))
        }
        continue
      }
      if name != "li" {
        items.append(MarkdownListItem(block(node)))
        continue
      }
      var checked: Bool?
      if let index = children.firstIndex(where: isCheckbox(_:)) {
        if case .element(_, let attributes, _) = children[index] {
          checked = attributes["checked"] != nil
        }
        children.remove(at: index)
      }
      items.append(MarkdownListItem(blocks(children), checked: checked))
    }
    return items
  }

  private static func isCheckbox(_ node: Node) -> Bool {
    if case .element("input", let attributes, _) = node {
      return attributes["type"]?.lowercased() == "checkbox"
    }
    return false
  }

  private static func tableRows(_ nodes: [Node]) -> [[[MarkdownBlock]]] {
    var rows: [[[MarkdownBlock]]] = []
    for node in nodes {
      guard case .element(let name, _, let children) = node else { continue }
      if name == "tr" {
        rows.append(
          children.compactMap { cell -> [MarkdownBlock]? in
            guard case .element(let cellName, _, let cellChildren) = cell,
              cellName == "td" || cellName == "th"
            else { return nil }
            return blocks(cellChildren)
          })
      } else {
        rows += tableRows(children)
      }
    }
    return rows
  }

  private static func codeLanguage(_ node: Node) -> String? {
    func language(_ attributes: [String: String]) -> String? {
      for name in (attributes["class"] ?? "").split(separator: " ") {
        for prefix in ["language-", "lang-"] where name.hasPrefix(prefix) {
          return String(name.dropFirst(prefix.count))
        }
      }
      return nil
    }
    guard case .element(_, let attributes, let children) = node else { return nil }
    if let found = language(attributes) { return found }
    for child in children {
      if case .element("code", let childAttributes, _) = child,
        let found = language(childAttributes)
      {
        return found
      }
    }
    return nil
  }

  static func textContent(_ nodes: [Node]) -> String {
    nodes.map { node -> String in
      switch node {
      case .text(let text): return text
      case .element("br", _, _): return "\n"
      case .element(_, _, let children): return textContent(children)
      }
    }.joined()
  }

  // MARK: - Inlines

  private static func inline(_ node: Node) -> [MarkdownInline] {
    switch node {
    case .text(let text):
      return [.text(text)]
    case .element(let name, let attributes, let children):
      let content = { children.flatMap(inline) }
      switch name {
      case "strong", "b": return [.strong(content())]
      case "em", "i", "cite": return [.emphasis(content())]
      case "s", "strike", "del": return [.strike(content())]
      case "code", "kbd", "tt", "samp": return [.code(textContent(children))]
      case "br": return [.hardBreak]
      case "sub", "sup":
        return [.raw("<\(name)>")] + content() + [.raw("</\(name)>")]
      case "a":
        guard let href = attributes["href"], !href.isEmpty,
          !href.lowercased().hasPrefix("javascript:")
        else { return content() }
        return [.link(url: href, content())]
      case "img":
        let alt = attributes["alt"] ?? ""
        guard let source = attributes["src"], !source.isEmpty,
          !source.lowercased().hasPrefix("data:")
        else { return alt.isEmpty ? [] : [.raw("[image: \(MarkdownRenderer.escape(alt))]")] }
        return [.image(url: source, alt: alt)]
      case "input":
        return []
      default:
        if blockElements.contains(name) {
          // A block inside an inline context (for example a <p> inside <a>): keep its text.
          return [.text(" ")] + content() + [.text(" ")]
        }
        return content()
      }
    }
  }

  /// Collapses HTML whitespace runs across node boundaries, keeps code spans intact.
  static func normalizeWhitespace(_ inlines: [MarkdownInline]) -> [MarkdownInline] {
    var lastWasSpace = true
    var result = normalize(inlines, lastWasSpace: &lastWasSpace)
    trimTrailing(&result)
    return result
  }

  private static func normalize(
    _ inlines: [MarkdownInline], lastWasSpace: inout Bool
  ) -> [MarkdownInline] {
    var result: [MarkdownInline] = []
    for node in inlines {
      switch node {
      case .text(let text):
        var collapsed = ""
        for char in text {
          if char.isWhitespace {
            if !lastWasSpace { collapsed.append(" ") }
            lastWasSpace = true
          } else {
            collapsed.append(char)
            lastWasSpace = false
          }
        }
        if !collapsed.isEmpty { result.append(.text(collapsed)) }
      case .strong(let children):
        result.append(.strong(normalize(children, lastWasSpace: &lastWasSpace)))
      case .emphasis(let children):
        result.append(.emphasis(normalize(children, lastWasSpace: &lastWasSpace)))
      case .strike(let children):
        result.append(.strike(normalize(children, lastWasSpace: &lastWasSpace)))
      case .link(let url, let children):
        result.append(.link(url: url, normalize(children, lastWasSpace: &lastWasSpace)))
      case .hardBreak:
        trimTrailing(&result)
        result.append(.hardBreak)
        lastWasSpace = true
      case .code, .image, .raw:
        result.append(node)
        lastWasSpace = false
      }
    }
    return result
  }

  private static func trimTrailing(_ inlines: inout [MarkdownInline]) {
    guard let last = inlines.last else { return }
    switch last {
    case .text(let text):
      let trimmed = text.trimmingTrailingWhitespace()
      if trimmed.isEmpty {
        inlines.removeLast()
        trimTrailing(&inlines)
      } else {
        inlines[inlines.count - 1] = .text(trimmed)
      }
    case .strong(var children):
      trimTrailing(&children)
      inlines[inlines.count - 1] = .strong(children)
    case .emphasis(var children):
      trimTrailing(&children)
      inlines[inlines.count - 1] = .emphasis(children)
    case .hardBreak:
      inlines.removeLast()
      trimTrailing(&inlines)
    default:
      break
    }
  }
}
