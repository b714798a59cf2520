import Foundation

/// Splits a template into tokens with the rules (and rule order) of handlebars.js' lexer.
struct Lexer {
  private let bytes: [UInt8]
  private var pos = 0
  private var tokens: [Token] = []

  private enum State {
    case initial, mustache, escaped
  }

  init(_ bytes: [UInt8]) {
    self.bytes = bytes
  }

  private static let literalWords: [(String, Token.Kind)] = [
    ("true", .boolean), ("false", .boolean), ("undefined", .undefined), ("null", .null),
  ]

  /// Tokenises the whole template; the last token is `.eof`.
  static func tokenize(_ bytes: [UInt8]) throws(TemplateError) -> [Token] {
    var lexer = Lexer(bytes)
    try lexer.run()
    return lexer.tokens
  }

  private func text(_ start: Int, _ end: Int) -> String {
    String(decoding: bytes[start..<end], as: UTF8.self)
  }

  private mutating func emit(_ kind: Token.Kind, _ start: Int, _ end: Int, _ text: String? = nil) {
    tokens.append(Token(kind: kind, start: start, end: end, text: text ?? self.text(start, end)))
  }

  private func at(_ index: Int) -> UInt8 {
    index < bytes.count ? bytes[index] : 0
  }

  private func hasPrefix(_ literal: StaticString, at index: Int) -> Bool {
    let count = literal.utf8CodeUnitCount
    guard index + count <= bytes.count else { return false }
    let base = literal.utf8Start
    for i in 0..<count where bytes[index + i] != base[i] { return false }
    return true
  }

  private func findOpen(from start: Int) -> Int? {
    var i = start
    let n = bytes.count
    while i + 1 < n {
      if bytes[i] == 0x7B {
        if bytes[i + 1] == 0x7B { return i }
        i += 1
      } else {
        i += 1
      }
    }
    return nil
  }

  private mutating func run() throws(TemplateError) {
    var state = State.initial
    let n = bytes.count
    while true {
      switch state {
      case .initial:
        if pos >= n {
          emit(.eof, n, n, "")
          return
        }
        guard let open = findOpen(from: pos) else {
          emit(.content, pos, n)
          pos = n
          continue
        }
        var end = open
        state = .mustache
        if open - pos >= 2 && bytes[open - 1] == 0x5C && bytes[open - 2] == 0x5C {
          end = open - 1
        } else if open > pos && bytes[open - 1] == 0x5C {
          end = open - 1
          state = .escaped
        }
        if end > pos { emit(.content, pos, end) }
        pos = open
      case .escaped:
        // `\{{`: literal content from `{{` up to the next mustache (or escaped one).
        var j = pos + 2
        while j < n {
          if hasPrefix("{{", at: j) || hasPrefix("\\{{", at: j) || hasPrefix("\\\\{{", at: j) {
            break
          }
          j += 1
        }
        emit(.content, pos, min(j, n))
        pos = min(j, n)
        state = .initial
      case .mustache:
        if pos >= n {
          emit(.eof, n, n, "")
          return
        }
        if try lexMustache() { state = .initial }
        // The parser accepts no INVALID token, so nothing after one can matter. Stopping here
        // also keeps lexing linear: a failed ID, number or `[segment]` rule rescans the rest
        // of its run at every following byte (`{{aaaa…`, `{{[[[[…` would be quadratic).
        if tokens.last?.kind == .invalid {
          emit(.eof, n, n, "")
          return
        }
      }
    }
  }

  /// Lexes one token inside a mustache. Returns true when the mustache state ends.
  private mutating func lexMustache() throws(TemplateError) -> Bool {
    let start = pos
    let c = bytes[pos]
    switch c {
    case 0x28:
      pos += 1
      emit(.openSexpr, start, pos)
      return false
    case 0x29:
      pos += 1
      emit(.closeSexpr, start, pos)
      return false
    default: break
    }
    if hasPrefix("{{{{", at: pos) {
      pos += 4
      emit(.openRawBlock, start, pos)
      return false
    }
    if hasPrefix("}}}}", at: pos) {
      pos += 4
      emit(.closeRawBlock, start, pos)
      return true
    }
    if hasPrefix("{{", at: pos) { return try lexOpen() }
    if c == 0x3D {
      pos += 1
      emit(.equals, start, pos)
      return false
    }
    if hasPrefix("..", at: pos) {
      pos += 2
      emit(.id, start, pos)
      return false
    }
    if c == 0x2E && isLookahead(pos + 1) {
      pos += 1
      emit(.id, start, pos)
      return false
    }
    if c == 0x2F || c == 0x2E {
      pos += 1
      emit(.sep, start, pos)
      return false
    }
    let ws = whitespaceLength(at: pos)
    if ws > 0 {
      var j = pos
      while true {
        let w = whitespaceLength(at: j)
        if w == 0 { break }
        j += w
      }
      pos = j
      return false
    }
    if hasPrefix("}}}", at: pos) || hasPrefix("}~}}", at: pos) {
      pos += at(pos + 1) == 0x7E ? 4 : 3
      emit(.closeUnescaped, start, pos)
      return true
    }
    if hasPrefix("}}", at: pos) || hasPrefix("~}}", at: pos) {
      pos += c == 0x7E ? 3 : 2
      emit(.close, start, pos)
      return true
    }
    if c == 0x22 || c == 0x27 {
      if lexString(quote: c) { return false }
    }
    if c == 0x40 {
      pos += 1
      emit(.data, start, pos)
      return false
    }
    if c == 0x74 || c == 0x66 || c == 0x75 || c == 0x6E {
      for (word, kind) in Self.literalWords
      where matchesWord(word, at: pos) && isLiteralLookahead(pos + word.utf8.count) {
        pos += word.utf8.count
        emit(kind, start, pos)
        return false
      }
    }
    if let end = numberEnd(at: pos) {
      pos = end
      emit(.number, start, pos)
      return false
    }
    if hasPrefix("as", at: pos) {
      var j = pos + 2
      var sawSpace = false
      while true {
        let w = whitespaceLength(at: j)
        if w == 0 { break }
        sawSpace = true
        j += w
      }
      if sawSpace && at(j) == 0x7C {
        pos = j + 1
        emit(.openBlockParams, start, pos)
        return false
      }
    }
    if c == 0x7C {
      pos += 1
      emit(.closeBlockParams, start, pos)
      return false
    }
    var j = pos
    while j < bytes.count {
      let w = idCharLength(at: j)
      if w == 0 { break }
      j += w
    }
    if j > pos && isLookahead(j) {
      pos = j
      emit(.id, start, pos)
      return false
    }
    if c == 0x5B, let end = segmentLiteralEnd(at: pos) {
      pos = end
      var unescaped = ""
      let raw = text(start, end)
      var iterator = raw.unicodeScalars.makeIterator()
      while let scalar = iterator.next() {
        if scalar == "\\" {
          if let next = iterator.next() {
            if next == "\\" || next == "]" {
              unescaped.unicodeScalars.append(next)
            } else {
              unescaped.unicodeScalars.append(scalar)
              unescaped.unicodeScalars.append(next)
            }
          } else {
            unescaped.unicodeScalars.append(scalar)
          }
        } else {
          unescaped.unicodeScalars.append(scalar)
        }
      }
      emit(.id, start, end, unescaped)
      return false
    }
    pos += max(1, scalarLength(at: pos))
    emit(.invalid, start, pos)
    return false
  }

  /// Lexes a `{{…` opener (or a whole comment or `{{else}}`).
  private mutating func lexOpen() throws(TemplateError) -> Bool {
    let start = pos
    var p = pos + 2
    if at(p) == 0x7E { p += 1 }
    let c = at(p)
    func finish(_ kind: Token.Kind, _ end: Int) -> Bool {
      pos = end
      emit(kind, start, end)
      return kind == .inverse || kind == .comment
    }
    if c == 0x3E { return finish(.openPartial, p + 1) }
    if c == 0x23 && at(p + 1) == 0x3E { return finish(.openPartialBlock, p + 2) }
    if c == 0x23 { return finish(.openBlock, at(p + 1) == 0x2A ? p + 2 : p + 1) }
    if c == 0x2F { return finish(.openEndBlock, p + 1) }
    if c == 0x5E, let end = closeAfterSpaces(p + 1) { return finish(.inverse, end) }
    let afterSpaces = skipSpaces(p)
    if matchesWord("else", at: afterSpaces), let end = closeAfterSpaces(afterSpaces + 4) {
      return finish(.inverse, end)
    }
    if c == 0x5E { return finish(.openInverse, p + 1) }
    if matchesWord("else", at: afterSpaces) { return finish(.openInverseChain, afterSpaces + 4) }
    if c == 0x7B { return finish(.openUnescaped, p + 1) }
    if c == 0x26 { return finish(.open, p + 1) }
    if hasPrefix("!--", at: p) {
      // Long comment: up to the first `--}}` or `--~}}` (searched from the opener itself).
      var j = start
      while j < bytes.count {
        if hasPrefix("--}}", at: j) { return finish(.comment, j + 4) }
        if hasPrefix("--~}}", at: j) { return finish(.comment, j + 5) }
        j += 1
      }
      throw TemplateError(
        kind: .syntax, message: "Unterminated comment", offset: start)
    }
    if c == 0x21 {
      var j = p + 1
      while j + 1 < bytes.count {
        if bytes[j] == 0x7D && bytes[j + 1] == 0x7D { return finish(.comment, j + 2) }
        j += 1
      }
    }
    return finish(.open, c == 0x2A ? p + 1 : p)
  }

  private func matchesWord(_ word: String, at index: Int) -> Bool {
    let utf8 = word.utf8
    guard index + utf8.count <= bytes.count else { return false }
    var i = index
    for byte in utf8 {
      if bytes[i] != byte { return false }
      i += 1
    }
    return true
  }

  private func skipSpaces(_ index: Int) -> Int {
    var j = index
    while true {
      let w = whitespaceLength(at: j)
      if w == 0 { return j }
      j += w
    }
  }

  /// `\s*~?}}` starting at `index`: the end offset if it matches.
  private func closeAfterSpaces(_ index: Int) -> Int? {
    var j = skipSpaces(index)
    if at(j) == 0x7E { j += 1 }
    if hasPrefix("}}", at: j) { return j + 2 }
    return nil
  }

  private mutating func lexString(quote: UInt8) -> Bool {
    let start = pos
    var j = pos + 1
    var lastEscapedQuote: Int?
    while j < bytes.count {
      let b = bytes[j]
      if b == 0x5C && at(j + 1) == quote {
        lastEscapedQuote = j + 1
        j += 2
        continue
      }
      if b == quote { break }
      j += 1
    }
    var end: Int
    if j < bytes.count {
      end = j + 1
    } else if let q = lastEscapedQuote {
      end = q + 1
    } else {
      return false
    }
    let raw = text(start + 1, end - 1)
    let q = quote == 0x22 ? "\"" : "'"
    pos = end
    emit(.string, start, end, raw.replacingAll("\\" + q, with: q))
    return true
  }

  /// The end of handlebars.js' `\[(\\\]|[^\]])*\]` starting at `index`. The regex backtracks:
  /// a `]` after a backslash may either end the segment or be an escaped bracket inside it, and
  /// the longest match wins, so `[foo\\]` ends at its `]` unless a later `]` can close it.
  private func segmentLiteralEnd(at index: Int) -> Int? {
    var lastEscaped: Int?
    var j = index + 1
    while j < bytes.count {
      if bytes[j] == 0x5D {
        guard bytes[j - 1] == 0x5C && j - 1 > index else { return j + 1 }
        lastEscaped = j + 1
      }
      j += 1
    }
    return lastEscaped
  }

  private func numberEnd(at index: Int) -> Int? {
    var j = index
    if at(j) == 0x2D { j += 1 }
    let digitsStart = j
    while at(j) >= 0x30 && at(j) <= 0x39 && j < bytes.count { j += 1 }
    if j == digitsStart { return nil }
    if at(j) == 0x2E {
      var k = j + 1
      let fractionStart = k
      while at(k) >= 0x30 && at(k) <= 0x39 && k < bytes.count { k += 1 }
      if k > fractionStart && isLiteralLookahead(k) { return k }
    }
    return isLiteralLookahead(j) ? j : nil
  }

  private func scalarLength(at index: Int) -> Int {
    guard index < bytes.count else { return 0 }
    let b = bytes[index]
    if b < 0x80 { return 1 }
    if b >= 0xF0 { return 4 }
    if b >= 0xE0 { return 3 }
    if b >= 0xC0 { return 2 }
    return 1
  }

  private func scalar(at index: Int) -> Unicode.Scalar? {
    let length = scalarLength(at: index)
    guard length > 0, index + length <= bytes.count else { return nil }
    if length == 1 { return Unicode.Scalar(bytes[index]) }
    return String(decoding: bytes[index..<index + length], as: UTF8.self).unicodeScalars.first
  }

  /// Length in bytes of the JavaScript whitespace character at `index`, or 0.
  private func whitespaceLength(at index: Int) -> Int {
    guard index < bytes.count else { return 0 }
    let b = bytes[index]
    if b < 0x80 { return (b >= 0x09 && b <= 0x0D) || b == 0x20 ? 1 : 0 }
    guard let s = scalar(at: index), JavaScript.isWhitespace(s) else { return 0 }
    return scalarLength(at: index)
  }

  /// Length in bytes of an identifier character at `index`, or 0.
  private func idCharLength(at index: Int) -> Int {
    let b = bytes[index]
    if b >= 0x80 { return whitespaceLength(at: index) > 0 ? 0 : scalarLength(at: index) }
    switch b {
    case 0x09...0x0D, 0x20, 0x21, 0x22, 0x23, 0x25...0x2C, 0x2E, 0x2F, 0x3B...0x3E, 0x40,
      0x5B...0x5E, 0x60, 0x7B...0x7E:
      return 0
    default:
      return 1
    }
  }

  /// `[=~}\s\/.)|]`
  private func isLookahead(_ index: Int) -> Bool {
    guard index < bytes.count else { return false }
    switch bytes[index] {
    case 0x3D, 0x7E, 0x7D, 0x2F, 0x2E, 0x29, 0x7C: return true
    default: return whitespaceLength(at: index) > 0
    }
  }

  /// `[~}\s)]`
  private func isLiteralLookahead(_ index: Int) -> Bool {
    guard index < bytes.count else { return false }
    switch bytes[index] {
    case 0x7E, 0x7D, 0x29: return true
    default: return whitespaceLength(at: index) > 0
    }
  }
}

extension String {
  func replacingAll(_ target: String, with replacement: String) -> String {
    guard !target.isEmpty, self.contains(target) else { return self }
    var out = ""
    var rest = Substring(self)
    while let range = rest.range(of: target) {
      out += rest[..<range.lowerBound]
      out += replacement
      rest = rest[range.upperBound...]
    }
    out += rest
    return out
  }
}
