/// handlebars.js' `WhitespaceControl` visitor: `~` stripping and the standalone-line rule
/// (a line holding only a block tag, `{{else}}`, a comment or a partial leaves no blank line).
struct WhitespaceControl {
  private var isRootSeen = false

  private struct Strip {
    var open = false
    var close = false
    var openStandalone = false
    var closeStandalone = false
    var inlineStandalone = false
  }

  /// Applies the rules to a freshly parsed template.
  static func apply(_ root: PProgram) {
    var visitor = WhitespaceControl()
    visitor.program(root)
  }

  private mutating func program(_ program: PProgram) {
    let isRoot = !isRootSeen
    isRootSeen = true
    let body = program.body
    for i in body.indices {
      let current = body[i]
      guard let strip = accept(current) else { continue }
      let prevWhitespace = Self.isPrevWhitespace(body, i, isRoot)
      let nextWhitespace = Self.isNextWhitespace(body, i, isRoot)
      let openStandalone = strip.openStandalone && prevWhitespace
      let closeStandalone = strip.closeStandalone && nextWhitespace
      let inlineStandalone = strip.inlineStandalone && prevWhitespace && nextWhitespace
      if strip.close { Self.omitRight(body, i, multiple: true) }
      if strip.open { _ = Self.omitLeft(body, i, multiple: true) }
      if inlineStandalone {
        Self.omitRight(body, i)
        if Self.omitLeft(body, i) {
          if case .partial(let partial) = current, case .content(let prev) = body[i - 1] {
            partial.indent = Self.trailingSpacesAndTabs(prev.original)
          }
        }
      }
      if openStandalone, case .block(let block) = current {
        if let target = block.program ?? block.inverse { Self.omitRight(target.body, nil) }
        _ = Self.omitLeft(body, i)
      }
      if closeStandalone, case .block(let block) = current {
        Self.omitRight(body, i)
        if let target = block.inverse ?? block.program { _ = Self.omitLeft(target.body, nil) }
      }
    }
  }

  private mutating func accept(_ node: PNode) -> Strip? {
    switch node {
    case .content: return nil
    case .mustache(let m): return Strip(open: m.strip.open, close: m.strip.close)
    case .comment(let c):
      return Strip(open: c.strip.open, close: c.strip.close, inlineStandalone: true)
    case .partial(let p):
      return Strip(open: p.strip.open, close: p.strip.close, inlineStandalone: true)
    case .block(let b): return block(b)
    }
  }

  private mutating func block(_ block: PBlock) -> Strip {
    if let p = block.program { program(p) }
    if let p = block.inverse { program(p) }
    guard let main = block.program ?? block.inverse else { return Strip() }
    let inverse = block.program != nil ? block.inverse : nil
    var firstInverse = inverse
    var lastInverse = inverse
    if let inverse, inverse.chained {
      if case .block(let first)? = inverse.body.first { firstInverse = first.program }
      while let last = lastInverse, last.chained {
        if case .block(let b)? = last.body.last { lastInverse = b.program } else { break }
      }
    }
    let closeStrip = block.closeStrip ?? StripFlags()
    let strip = Strip(
      open: block.openStrip.open, close: closeStrip.close,
      openStandalone: Self.isNextWhitespace(main.body, nil, false),
      closeStandalone: Self.isPrevWhitespace((firstInverse ?? main).body, nil, false))
    if block.openStrip.close { Self.omitRight(main.body, nil, multiple: true) }
    if let inverse {
      let inverseStrip = block.inverseStrip ?? StripFlags()
      if inverseStrip.open { _ = Self.omitLeft(main.body, nil, multiple: true) }
      if inverseStrip.close, let first = firstInverse {
        Self.omitRight(first.body, nil, multiple: true)
      }
      if closeStrip.open, let last = lastInverse {
        _ = Self.omitLeft(last.body, nil, multiple: true)
      }
      if let first = firstInverse, Self.isPrevWhitespace(main.body, nil, false),
        Self.isNextWhitespace(first.body, nil, false)
      {
        _ = Self.omitLeft(main.body, nil)
        Self.omitRight(first.body, nil)
      }
      _ = inverse
    } else if closeStrip.open {
      _ = Self.omitLeft(main.body, nil, multiple: true)
    }
    return strip
  }

  // MARK: - handlebars.js helpers, same names and semantics

  private static func isPrevWhitespace(_ body: [PNode], _ i: Int?, _ isRoot: Bool) -> Bool {
    let i = i ?? body.count
    guard i - 1 >= 0, i - 1 < body.count else { return isRoot }
    guard case .content(let prev) = body[i - 1] else { return false }
    let hasSibling = i - 2 >= 0
    // /\r?\n\s*?$/: the trailing whitespace holds a newline (root start: or is everything).
    var allWhitespace = true
    for scalar in prev.original.unicodeScalars.reversed() {
      if scalar == "\n" { return true }
      if !JavaScript.isWhitespace(scalar) {
        allWhitespace = false
        break
      }
    }
    return !hasSibling && isRoot && allWhitespace
  }

  private static func isNextWhitespace(_ body: [PNode], _ i: Int?, _ isRoot: Bool) -> Bool {
    let i = i ?? -1
    guard i + 1 < body.count else { return isRoot }
    guard case .content(let next) = body[i + 1] else { return false }
    let hasSibling = i + 2 < body.count
    // /^\s*?\r?\n/: the leading whitespace holds a newline (root end: or is everything).
    var allWhitespace = true
    for scalar in next.original.unicodeScalars {
      if scalar == "\n" { return true }
      if !JavaScript.isWhitespace(scalar) {
        allWhitespace = false
        break
      }
    }
    return !hasSibling && isRoot && allWhitespace
  }

  /// Strips the whitespace at the start of the content node after `i` (the first when nil).
  private static func omitRight(_ body: [PNode], _ i: Int?, multiple: Bool = false) {
    let index = i.map { $0 + 1 } ?? 0
    guard index < body.count, case .content(let current) = body[index] else { return }
    if !multiple && current.rightStripped { return }
    let scalars = current.value.unicodeScalars
    var cut = scalars.startIndex
    let end = scalars.endIndex
    if multiple {
      while cut != end && JavaScript.isWhitespace(scalars[cut]) { cut = scalars.index(after: cut) }
    } else {
      // /^[ \t]*\r?\n?/
      while cut != end && (scalars[cut] == " " || scalars[cut] == "\t") {
        cut = scalars.index(after: cut)
      }
      if cut != end && scalars[cut] == "\r" { cut = scalars.index(after: cut) }
      if cut != end && scalars[cut] == "\n" { cut = scalars.index(after: cut) }
    }
    current.rightStripped = cut != scalars.startIndex
    if current.rightStripped { current.value = String(scalars[cut...]) }
  }

  /// Strips the whitespace at the end of the content node before `i` (the last when nil).
  private static func omitLeft(_ body: [PNode], _ i: Int?, multiple: Bool = false) -> Bool {
    let index = i.map { $0 - 1 } ?? body.count - 1
    guard index >= 0, index < body.count, case .content(let current) = body[index] else {
      return false
    }
    if !multiple && current.leftStripped { return false }
    let scalars = current.value.unicodeScalars
    var end = scalars.endIndex
    let start = scalars.startIndex
    while end != start {
      let before = scalars.index(before: end)
      let scalar = scalars[before]
      let strip = multiple ? JavaScript.isWhitespace(scalar) : (scalar == " " || scalar == "\t")
      if !strip { break }
      end = before
    }
    current.leftStripped = end != scalars.endIndex
    if current.leftStripped { current.value = String(scalars[..<end]) }
    return current.leftStripped
  }

  private static func trailingSpacesAndTabs(_ text: String) -> String {
    let scalars = Array(text.unicodeScalars)
    var start = scalars.count
    while start > 0 && (scalars[start - 1] == " " || scalars[start - 1] == "\t") { start -= 1 }
    return String(String.UnicodeScalarView(scalars[start...]))
  }
}
