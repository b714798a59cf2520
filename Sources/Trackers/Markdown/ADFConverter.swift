import Foundation

/// Converts Atlassian Document Format (Jira Cloud REST v3 rich text) to Markdown.
///
/// Every node and mark of FACTS §2.1 has a rendering; unknown nodes keep their text content,
/// unknown marks are ignored, so nothing is silently lost.
public enum ADFConverter {
  /// Converts an ADF document (or a plain string, as single-line fields arrive) to Markdown.
  /// Returns an empty string for `null` or an empty document.
  public static func markdown(from value: JSONValue?) -> String {
    guard let value else { return "" }
    if let text = value.string { return text.trimmingCharacters(in: .whitespacesAndNewlines) }
    guard value.object != nil else { return "" }
    let blocks: [MarkdownBlock]
    if value["type"]?.string == "doc" {
      blocks = convertBlocks(value["content"]?.array ?? [])
    } else {
      blocks = convertBlocks([value])
    }
    return MarkdownRenderer.render(blocks)
  }

  /// Converts ADF JSON bytes to Markdown.
  public static func markdown(fromJSON data: Data) throws -> String {
    markdown(from: try JSONValue(parsing: data))
  }

  // MARK: - Blocks

  static func convertBlocks(_ nodes: [JSONValue]) -> [MarkdownBlock] {
    var blocks: [MarkdownBlock] = []
    var pendingInlines: [JSONValue] = []
    func flushInlines() {
      if !pendingInlines.isEmpty {
        blocks.append(.paragraph(convertInlines(pendingInlines)))
        pendingInlines = []
      }
    }
    for node in nodes {
      if isInline(node) {
        pendingInlines.append(node)
        continue
      }
      flushInlines()
      blocks += convertBlock(node)
    }
    flushInlines()
    return blocks
  }

  private static let inlineTypes: Set<String> = [
    "text", "hardBreak", "mention", "emoji", "inlineCard", "date", "status", "mediaInline",
    "placeholder", "inlineExtension",
  ]

  private static func isInline(_ node: JSONValue) -> Bool {
    inlineTypes.contains(node["type"]?.string ?? "")
  }

  private static func convertBlock(_ node: JSONValue) -> [MarkdownBlock] {
    let content = node["content"]?.array ?? []
    let attrs = node["attrs"]
    switch node["type"]?.string ?? "" {
    case "paragraph":
      return [.paragraph(convertInlines(content))]
    case "heading":
      let level = attrs?["level"]?.number.map { Int($0) } ?? 1
      return [.heading(level, convertInlines(content))]
    case "bulletList":
      return [.list(start: nil, items: content.map(listItem))]
    case "orderedList":
      let start = attrs?["order"]?.number.map { max(0, Int($0)) } ?? 1
      return [.list(start: start, items: content.map(listItem))]
    case "taskList":
      return [.list(start: nil, items: content.flatMap(taskItems))]
    case "decisionList":
      return [.list(start: nil, items: content.map { MarkdownListItem(convertBlocks([$0])) })]
    case "decisionItem":
      return [.paragraph(convertInlines(content))]
    case "codeBlock":
      let text = content.compactMap { $0["text"]?.string }.joined()
      let language = attrs?["language"]?.nonEmptyString
      return [.code(language: language, text: text)]
    case "blockquote":
      return [.quote(convertBlocks(content))]
    case "panel":
      let type = attrs?["panelType"]?.nonEmptyString ?? "info"
      return [
        .callout(title: type.prefix(1).uppercased() + type.dropFirst(), convertBlocks(content))
      ]
    case "rule":
      return [.rule]
    case "table":
      return [.table(content.map(tableRow))]
    case "mediaSingle":
      return mediaBlocks(content, placeholder: "image")
    case "mediaGroup":
      return mediaBlocks(content, placeholder: "attachment")
    case "media":
      return [.paragraph([mediaPlaceholder(node, kind: "attachment")])]
    case "expand", "nestedExpand":
      let inner = convertBlocks(content)
      guard let title = attrs?["title"]?.nonEmptyString else { return inner }
      return [.paragraph([.strong([.text(title)])])] + inner
    case "blockCard", "embedCard":
      return [.paragraph([card(attrs)])]
    case "caption":
      return [.paragraph([.emphasis(convertInlines(content))])]
    case "extension":
      return attrs?["text"]?.nonEmptyString.map { [.paragraph([.text($0)])] } ?? []
    default:
      // layoutSection, layoutColumn, bodiedExtension and unknown block nodes: keep the content.
      if !content.isEmpty { return convertBlocks(content) }
      if let text = node["text"]?.nonEmptyString ?? attrs?["text"]?.nonEmptyString {
        return [.paragraph([.text(text)])]
      }
      return []
    }
  }

  private static func listItem(_ node: JSONValue) -> MarkdownListItem {
    MarkdownListItem(convertBlocks(node["content"]?.array ?? []))
  }

  private static func taskItems(_ node: JSONValue) -> [MarkdownListItem] {
    let content = node["content"]?.array ?? []
    switch node["type"]?.string {
    case "taskItem":
      let done = node["attrs"]?["state"]?.string == "DONE"
      return [MarkdownListItem([.paragraph(convertInlines(content))], checked: done)]
    case "taskList":
      // A nested task list belongs to the previous item in Markdown; keep it as its own item
      // list so that no text is lost.
      return [MarkdownListItem([.list(start: nil, items: content.flatMap(taskItems))])]
    default:
      return [MarkdownListItem(convertBlocks([node]))]
    }
  }

  private static func tableRow(_ row: JSONValue) -> [[MarkdownBlock]] {
    var cells: [[MarkdownBlock]] = []
    for cell in row["content"]?.array ?? [] {
      cells.append(convertBlocks(cell["content"]?.array ?? []))
      let span = cell["attrs"]?["colspan"]?.number.map { Int($0) } ?? 1
      if span > 1 { cells += Array(repeating: [], count: span - 1) }
    }
    return cells
  }

  private static func mediaBlocks(_ content: [JSONValue], placeholder: String) -> [MarkdownBlock] {
    var blocks: [MarkdownBlock] = []
    var media: [MarkdownInline] = []
    for child in content {
      if child["type"]?.string == "media" {
        if !media.isEmpty { media.append(.text(" ")) }
        media.append(mediaPlaceholder(child, kind: placeholder))
      } else {
        blocks += convertBlocks([child])
      }
    }
    return (media.isEmpty ? [] : [.paragraph(media)]) + blocks
  }

  private static func mediaPlaceholder(_ node: JSONValue, kind: String) -> MarkdownInline {
    let attrs = node["attrs"]
    if attrs?["type"]?.string == "external", let url = attrs?["url"]?.nonEmptyString {
      return .image(url: url, alt: attrs?["alt"]?.string ?? "")
    }
    let name =
      attrs?["alt"]?.nonEmptyString ?? attrs?["name"]?.nonEmptyString
      ?? attrs?["fileName"]?.nonEmptyString
    return .raw("[\(kind)\(name.map { ": " + MarkdownRenderer.escape($0) } ?? "")]")
  }

  private static func card(_ attrs: JSONValue?) -> MarkdownInline {
    if let url = attrs?["url"]?.nonEmptyString { return .link(url: url, []) }
    let data = attrs?["data"]
    if let url = data?["url"]?.nonEmptyString {
      return .link(url: url, data?["name"]?.nonEmptyString.map { [.text($0)] } ?? [])
    }
    return .text(data?["name"]?.string ?? "")
  }

  // MARK: - Inlines

  static func convertInlines(_ nodes: [JSONValue]) -> [MarkdownInline] {
    nodes.flatMap(convertInline)
  }

  private static func convertInline(_ node: JSONValue) -> [MarkdownInline] {
    let attrs = node["attrs"]
    switch node["type"]?.string ?? "" {
    case "text":
      return [applyMarks(node["marks"]?.array ?? [], to: node["text"]?.string ?? "")]
    case "hardBreak":
      return [.hardBreak]
    case "mention":
      let text = attrs?["text"]?.nonEmptyString ?? attrs?["displayName"]?.nonEmptyString ?? "user"
      return [.text(text.hasPrefix("@") ? text : "@" + text)]
    case "emoji":
      let text = attrs?["text"]?.nonEmptyString ?? attrs?["shortName"]?.string ?? ""
      return [.text(text)]
    case "inlineCard":
      return [card(attrs)]
    case "date":
      let millis = attrs?["timestamp"]?.idString.flatMap(Double.init)
      return [.text(millis.map { Timestamps.day(Date(timeIntervalSince1970: $0 / 1000)) } ?? "")]
    case "status":
      let text = attrs?["text"]?.nonEmptyString ?? ""
      return text.isEmpty ? [] : [.raw("[" + MarkdownRenderer.escape(text) + "]")]
    case "mediaInline":
      return [mediaPlaceholder(node, kind: "attachment")]
    case "placeholder":
      return []
    default:
      if let content = node["content"]?.array { return convertInlines(content) }
      if let text = node["text"]?.nonEmptyString ?? attrs?["text"]?.nonEmptyString {
        return [.text(text)]
      }
      return []
    }
  }

  /// Applies marks innermost-first: code, then sub/sup, strike, emphasis, strong, link.
  private static func applyMarks(_ marks: [JSONValue], to text: String) -> MarkdownInline {
    let types = marks.compactMap { $0["type"]?.string }
    var node: MarkdownInline = types.contains("code") ? .code(text) : .text(text)
    if let subsup = marks.first(where: { $0["type"]?.string == "subsup" }) {
      let tag = subsup["attrs"]?["type"]?.string == "sub" ? "sub" : "sup"
      node = .raw("<\(tag)>\(MarkdownRenderer.inline([node]))</\(tag)>")
    }
    if types.contains("strike") { node = .strike([node]) }
    if types.contains("em") { node = .emphasis([node]) }
    if types.contains("strong") { node = .strong([node]) }
    if let link = marks.first(where: { $0["type"]?.string == "link" }),
      let href = link["attrs"]?["href"]?.nonEmptyString
    {
      node = .link(url: href, [node])
    }
    return node
  }
}
