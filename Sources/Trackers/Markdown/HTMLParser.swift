/// A forgiving HTML parser for tracker descriptions: builds an element tree, drops comments,
/// `script` and `style`, decodes entities, and closes unclosed tags like browsers do (mostly).
enum HTMLParser {
  indirect enum Node: Equatable {
    case text(String)
    case element(name: String, attributes: [String: String], children: [Node])
  }

  static func parse(_ html: String) -> [Node] {
    var builder = TreeBuilder()
    var scanner = Scanner(chars: Array(html))
    while let token = scanner.next() {
      builder.consume(token)
    }
    return builder.finish()
  }

  enum Token {
    case text(String)
    case open(String, [String: String], selfClosing: Bool)
    case close(String)
  }

  static let voidElements: Set<String> = [
    "br", "hr", "img", "input", "meta", "link", "col", "area", "base", "wbr", "source",
  ]
  static let droppedElements: Set<String> = ["script", "style", "head", "title", "template"]

  private struct Scanner {
    let chars: [Character]
    var position = 0

    mutating func next() -> Token? {
      guard position < chars.count else { return nil }
      if chars[position] == "<" {
        if let token = tag() { return token }
        position += 1
        return .text("<")
      }
      var text = ""
      while position < chars.count, chars[position] != "<" {
        text.append(chars[position])
        position += 1
      }
      return .text(HTMLEntities.decode(text))
    }

    private mutating func tag() -> Token? {
      let start = position
      if matches("<!--") {
        position = find("-->").map { $0 + 3 } ?? chars.count
        return .text("")
      }
      if matches("<!") || matches("<?") {
        position = find(">").map { $0 + 1 } ?? chars.count
        return .text("")
      }
      position += 1
      let closing = position < chars.count && chars[position] == "/"
      if closing { position += 1 }
      let name = readName().lowercased()
      guard !name.isEmpty else {
        position = start
        return nil
      }
      var attributes: [String: String] = [:]
      var selfClosing = false
      while position < chars.count {
        skipWhitespace()
        guard position < chars.count else { break }
        if chars[position] == ">" {
          position += 1
          break
        }
        if chars[position] == "/" {
          selfClosing = true
          position += 1
          continue
        }
        let attribute = readName().lowercased()
        if attribute.isEmpty {
          position += 1
          continue
        }
        skipWhitespace()
        var value = ""
        if position < chars.count, chars[position] == "=" {
          position += 1
          skipWhitespace()
          value = readValue()
        }
        attributes[attribute] = HTMLEntities.decode(value)
      }
      if closing { return .close(name) }
      if HTMLParser.droppedElements.contains(name) {
        position =
          find("</\(name)").flatMap { end in
            chars[end...].firstIndex(of: ">").map { $0 + 1 }
          } ?? chars.count
        return .text("")
      }
      return .open(name, attributes, selfClosing: selfClosing)
    }

    private func matches(_ literal: String) -> Bool {
      var index = position
      for char in literal {
        guard index < chars.count, chars[index].lowercased() == char.lowercased() else {
          return false
        }
        index += 1
      }
      return true
    }

    private func find(_ literal: String) -> Int? {
      let target = Array(literal.lowercased())
      var index = position
      while index + target.count <= chars.count {
        if chars[index..<(index + target.count)].map({ Character($0.lowercased()) }) == target {
          return index
        }
        index += 1
      }
      return nil
    }

    private mutating func skipWhitespace() {
      while position < chars.count, chars[position].isWhitespace { position += 1 }
    }

    private mutating func readName() -> String {
      var name = ""
      while position < chars.count {
        let char = chars[position]
        guard char.isLetter || char.isNumber || char == "-" || char == ":" || char == "_" else {
          break
        }
        name.append(char)
        position += 1
      }
      return name
    }

    private mutating func readValue() -> String {
      guard position < chars.count else { return "" }
      let quote = chars[position]
      var value = ""
      if quote == "\"" || quote == "'" {
        position += 1
        while position < chars.count, chars[position] != quote {
          value.append(chars[position])
          position += 1
        }
        position += 1
        return value
      }
      while position < chars.count, !chars[position].isWhitespace, chars[position] != ">" {
        value.append(chars[position])
        position += 1
      }
      return value
    }
  }

  private struct TreeBuilder {
    var stack: [(name: String, attributes: [String: String], children: [Node])] = [
      ("#root", [:], [])
    ]

    mutating func consume(_ token: Token) {
      switch token {
      case .text(let text):
        if !text.isEmpty { stack[stack.count - 1].children.append(.text(text)) }
      case .open(let name, let attributes, let selfClosing):
        autoClose(before: name)
        if selfClosing || HTMLParser.voidElements.contains(name) {
          stack[stack.count - 1].children.append(
            .element(name: name, attributes: attributes, children: []))
        } else {
          stack.append((name, attributes, []))
        }
      case .close(let name):
        guard let index = stack.lastIndex(where: { $0.name == name }), index > 0 else { return }
        while stack.count > index { pop() }
      }
    }

    /// `<li>` closes an open `<li>`, `<p>` closes an open `<p>`, cells close cells.
    mutating func autoClose(before name: String) {
      let closes: [String: Set<String>] = [
        "li": ["li", "p"], "p": ["p"], "td": ["td", "th"], "th": ["td", "th"],
        "tr": ["tr", "td", "th"],
      ]
      guard let closable = closes[name] else { return }
      while let top = stack.last, stack.count > 1, closable.contains(top.name) {
        pop()
        if name != "tr" && top.name != "p" { break }
      }
    }

    mutating func pop() {
      let element = stack.removeLast()
      stack[stack.count - 1].children.append(
        .element(name: element.name, attributes: element.attributes, children: element.children))
    }

    mutating func finish() -> [Node] {
      while stack.count > 1 { pop() }
      return stack[0].children
    }
  }
}
