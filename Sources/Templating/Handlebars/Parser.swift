/// Builds the parse tree with the grammar of handlebars.js' `handlebars.yy`.
struct Parser {
  /// A parsed template and how deeply its constructs nest.
  struct Parsed {
    var tree: PProgram
    /// The deepest nesting of blocks, else-if chains and sub-expressions (0: none).
    var nesting: Int
    /// Where that depth is first reached.
    var nestingOffset: Int
  }

  private let tokens: [Token]
  private let limits: RenderLimits
  private var index = 0
  /// Current nesting of blocks, `{{else if}}` chains and sub-expressions. Every later pass
  /// (whitespace, compiler, renderer, linter) recurses this deep, so it is bounded here, once,
  /// with `limits.maxNesting`.
  private var nesting = 0
  private var deepest = 0
  private var deepestOffset = 0

  private struct InverseAndProgram {
    var strip: StripFlags
    var program: PProgram
    var chain: Bool
  }

  private struct Opener {
    var sexpr: Sexpr
    var blockParams: [String]?
    var closeToken: Token
  }

  private init(tokens: [Token], limits: RenderLimits) {
    self.tokens = tokens
    self.limits = limits
  }

  /// Parses a template (without the whitespace pass).
  ///
  /// - Throws: a syntax error, or `.limitExceeded` (`.nesting`) when constructs nest deeper
  ///   than `limits.maxNesting`.
  static func parse(_ source: SourceText, limits: RenderLimits) throws(TemplateError) -> Parsed {
    var parser = Parser(tokens: try Lexer.tokenize(source.bytes), limits: limits)
    let tree = try parser.parseRoot()
    return Parsed(tree: tree, nesting: parser.deepest, nestingOffset: parser.deepestOffset)
  }

  /// Enters one level of nesting at the construct starting at `offset`.
  private mutating func enter(at offset: Int) throws(TemplateError) {
    nesting += 1
    if nesting > deepest {
      deepest = nesting
      deepestOffset = offset
    }
    if nesting > limits.maxNesting {
      throw TemplateError(limit: .nesting, limits: limits, offset: offset)
    }
  }

  /// handlebars.js `scopedId`.
  static func isScoped(_ original: String) -> Bool {
    let bytes = original.utf8
    if bytes.first == 0x2E { return true }
    guard bytes.count >= 4 else { return false }
    let array = Array(bytes)
    var i = 0
    while i + 4 <= array.count {
      if array[i] == 0x74 && array[i + 1] == 0x68 && array[i + 2] == 0x69 && array[i + 3] == 0x73 {
        // `this\b`: followed by the end or a non-word character.
        if i + 4 == array.count { return true }
        let next = array[i + 4]
        let isWord =
          (next >= 0x30 && next <= 0x39) || (next >= 0x41 && next <= 0x5A)
          || (next >= 0x61 && next <= 0x7A) || next == 0x5F
        if !isWord { return true }
      }
      i += 1
    }
    return false
  }

  private var peek: Token { tokens[index] }

  private mutating func advance() -> Token {
    let token = tokens[index]
    if index < tokens.count - 1 { index += 1 }
    return token
  }

  private func unexpected(_ expected: String) -> TemplateError {
    let token = peek
    let got = token.kind == .eof ? "end of template" : "'\(token.text)' (\(token.displayName))"
    return TemplateError(
      kind: .syntax, message: "Expecting \(expected), got \(got)", offset: token.start)
  }

  private mutating func expect(_ kind: Token.Kind, _ name: String) throws(TemplateError) -> Token {
    guard peek.kind == kind else { throw unexpected(name) }
    return advance()
  }

  private mutating func parseRoot() throws(TemplateError) -> PProgram {
    let program = try parseProgram()
    switch peek.kind {
    case .eof: return program
    case .openEndBlock:
      throw TemplateError(
        kind: .mismatchedBlock, message: "'\(peek.text)' closes no open block", offset: peek.start)
    case .inverse, .openInverseChain:
      throw TemplateError(
        kind: .syntax, message: "'\(peek.text)' outside a block", offset: peek.start)
    default:
      throw unexpected("a statement")
    }
  }

  private mutating func parseProgram() throws(TemplateError) -> PProgram {
    var body: [PNode] = []
    while true {
      let token = peek
      switch token.kind {
      case .content:
        _ = advance()
        body.append(.content(PContent(token.text, offset: token.start)))
      case .comment:
        _ = advance()
        body.append(
          .comment(
            PComment(
              value: Self.stripComment(token.text),
              strip: StripFlags(open: token.text, close: token.text), offset: token.start)))
      case .open, .openUnescaped:
        body.append(.mustache(try parseMustache()))
      case .openBlock:
        body.append(.block(try parseBlock(inverted: false)))
      case .openInverse:
        body.append(.block(try parseBlock(inverted: true)))
      case .openPartial:
        body.append(.partial(try parsePartial()))
      case .openPartialBlock:
        body.append(.block(try parsePartialBlock()))
      case .openRawBlock:
        throw TemplateError(
          kind: .unsupported, message: "Raw blocks ({{{{…}}}}) are not supported",
          offset: token.start)
      case .openEndBlock, .inverse, .openInverseChain, .eof:
        return PProgram(body)
      default:
        throw unexpected("a statement")
      }
    }
  }

  static func stripComment(_ text: String) -> String {
    var scalars = Substring(text)
    if scalars.hasPrefix("{{") { scalars = scalars.dropFirst(2) }
    if scalars.hasPrefix("~") { scalars = scalars.dropFirst() }
    if scalars.hasPrefix("!") { scalars = scalars.dropFirst() }
    for _ in 0..<2 where scalars.hasPrefix("-") { scalars = scalars.dropFirst() }
    if scalars.hasSuffix("}}") { scalars = scalars.dropLast(2) }
    if scalars.hasSuffix("~") { scalars = scalars.dropLast() }
    for _ in 0..<2 where scalars.hasSuffix("-") { scalars = scalars.dropLast() }
    return String(scalars)
  }

  private mutating func parseMustache() throws(TemplateError) -> PMustache {
    let open = advance()
    if open.text.hasSuffix("*") {
      throw TemplateError(
        kind: .unsupported, message: "Decorators ({{* …}}) are not supported", offset: open.start)
    }
    let unescaped = open.kind == .openUnescaped
    let opener = try parseOpener(
      offset: open.start, close: unescaped ? .closeUnescaped : .close,
      closeName: unescaped ? "'CLOSE_UNESCAPED'" : "'CLOSE'", blockParams: false)
    return PMustache(
      opener.sexpr, strip: StripFlags(open: open.text, close: opener.closeToken.text))
  }

  /// `helperName param* hash? blockParams? CLOSE`
  private mutating func parseOpener(
    offset: Int, close: Token.Kind, closeName: String, blockParams allowBlockParams: Bool
  ) throws(TemplateError) -> Opener {
    let name = try parseHelperName()
    let (params, hash) = try parseParamsAndHash()
    var blockParams: [String]?
    if allowBlockParams && peek.kind == .openBlockParams {
      _ = advance()
      var names: [String] = []
      while peek.kind == .id {
        names.append(Self.id(advance().text))
      }
      if names.isEmpty { throw unexpected("'ID'") }
      _ = try expect(.closeBlockParams, "'CLOSE_BLOCK_PARAMS'")
      blockParams = names
    }
    guard peek.kind == close else {
      throw unexpected(
        (allowBlockParams && blockParams == nil ? "'OPEN_BLOCK_PARAMS', " : "") + closeName)
    }
    let closeToken = advance()
    return Opener(
      sexpr: Sexpr(path: name, params: params, hash: hash, offset: offset),
      blockParams: blockParams, closeToken: closeToken)
  }

  private mutating func parseParamsAndHash() throws(TemplateError) -> ([Expr], [HashPair]?) {
    var params: [Expr] = []
    var hash: [HashPair] = []
    while true {
      let token = peek
      if token.kind == .id && tokens[index + 1].kind == .equals {
        _ = advance()
        _ = advance()
        let value = try parseParam()
        hash.append(HashPair(key: Self.id(token.text), value: value, offset: token.start))
        continue
      }
      guard hash.isEmpty, Self.startsParam(token.kind) else { break }
      params.append(try parseParam())
    }
    return (params, hash.isEmpty ? nil : hash)
  }

  private static func startsParam(_ kind: Token.Kind) -> Bool {
    switch kind {
    case .id, .data, .string, .number, .boolean, .undefined, .null, .openSexpr: return true
    default: return false
    }
  }

  private mutating func parseParam() throws(TemplateError) -> Expr {
    if peek.kind == .openSexpr { return .sexpr(try parseSexpr()) }
    return try parseHelperName()
  }

  private mutating func parseSexpr() throws(TemplateError) -> Sexpr {
    let open = advance()
    try enter(at: open.start)
    defer { nesting -= 1 }
    let name = try parseHelperName()
    let (params, hash) = try parseParamsAndHash()
    _ = try expect(.closeSexpr, "'CLOSE_SEXPR'")
    return Sexpr(path: name, params: params, hash: hash, offset: open.start, isSubexpression: true)
  }

  private mutating func parseHelperName() throws(TemplateError) -> Expr {
    let token = peek
    switch token.kind {
    case .id:
      return .path(try parsePath(data: false, offset: token.start))
    case .data:
      _ = advance()
      return .path(try parsePath(data: true, offset: token.start))
    case .string:
      _ = advance()
      return .string(token.text, offset: token.start)
    case .number:
      _ = advance()
      return .number(Double(token.text) ?? .nan, offset: token.start)
    case .boolean:
      _ = advance()
      return .bool(token.text == "true", offset: token.start)
    case .undefined:
      _ = advance()
      return .undefined(offset: token.start)
    case .null:
      _ = advance()
      return .null(offset: token.start)
    default:
      throw unexpected(
        "'ID', 'STRING', 'NUMBER', 'BOOLEAN', 'UNDEFINED', 'NULL', 'DATA'")
    }
  }

  /// handlebars.js `yy.id`: strips the brackets of a segment literal.
  static func id(_ token: String) -> String {
    guard token.hasPrefix("["), token.hasSuffix("]"), token.count >= 2 else { return token }
    if token.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\u{2028}" || $0 == "\u{2029}" }) {
      return token
    }
    return String(token.dropFirst().dropLast())
  }

  /// `pathSegments` and handlebars.js `preparePath`.
  private mutating func parsePath(data: Bool, offset: Int) throws(TemplateError) -> PathExpr {
    var original = data ? "@" : ""
    var parts: [String] = []
    var depth = 0
    var separator = ""
    while true {
      let token = try expect(.id, "'ID'")
      let part = Self.id(token.text)
      let isLiteral = token.text != part
      original += separator + part
      if !isLiteral && (part == ".." || part == "." || part == "this") {
        if !parts.isEmpty {
          throw TemplateError(
            kind: .syntax, message: "Invalid path: \(original)", offset: offset)
        }
        if part == ".." { depth += 1 }
      } else {
        parts.append(part)
      }
      guard peek.kind == .sep else { break }
      separator = advance().text
    }
    return PathExpr(
      data: data, depth: depth, parts: parts, original: original, offset: offset,
      scoped: Self.isScoped(original))
  }

  private mutating func parseBlock(inverted: Bool) throws(TemplateError) -> PBlock {
    let open = advance()
    try enter(at: open.start)
    defer { nesting -= 1 }
    let opener = try parseOpener(
      offset: open.start, close: .close, closeName: "'CLOSE'", blockParams: true)
    var kind = PBlock.Kind.helper
    if open.text.hasSuffix("*") {
      kind = .inlinePartial(name: try Self.inlinePartialName(opener.sexpr, at: open.start))
    }
    let openStrip = StripFlags(open: open.text, close: opener.closeToken.text)
    let program = try parseProgram()
    var inverseAndProgram: InverseAndProgram?
    if !inverted && peek.kind == .openInverseChain {
      inverseAndProgram = try parseInverseChain()
    } else if peek.kind == .inverse {
      let token = advance()
      inverseAndProgram = InverseAndProgram(
        strip: StripFlags(open: token.text, close: token.text), program: try parseProgram(),
        chain: false)
    }
    if case .inlinePartial = kind, let inverseAndProgram {
      throw TemplateError(
        kind: .syntax, message: "Unexpected inverse block on decorator",
        offset: inverseAndProgram.program.body.first?.offset ?? open.start)
    }
    guard peek.kind == .openEndBlock else {
      if peek.kind == .eof {
        throw TemplateError(
          kind: .unclosedBlock,
          message: "'\(opener.sexpr.path.original)' block is never closed", offset: open.start)
      }
      throw unexpected("'OPEN_ENDBLOCK'")
    }
    let closeOpen = advance()
    let closeName = try parseHelperName()
    let closeToken = try expect(.close, "'CLOSE'")
    let expectedName = opener.sexpr.path.original
    if Self.blockName(opener.sexpr.path) != Self.blockName(closeName) {
      throw TemplateError(
        kind: .mismatchedBlock,
        message: "\(expectedName) doesn't match \(closeName.original)", offset: closeOpen.start)
    }
    return Self.prepareBlock(
      kind: kind, opener: opener, openStrip: openStrip, program: program,
      inverseAndProgram: inverseAndProgram,
      closeStrip: StripFlags(open: closeOpen.text, close: closeToken.text),
      inverted: inverted, offset: open.start)
  }

  /// The name `{{#*inline "name"}}` defines. handlebars.js ships no other decorator, and its
  /// `inline` takes the first argument's value: a literal is its own name (a path would be
  /// looked up in no context at all, so it is refused rather than silently named "undefined").
  private static func inlinePartialName(_ sexpr: Sexpr, at offset: Int) throws(TemplateError)
    -> String
  {
    guard case .path(let path) = sexpr.path, path.isSimple, path.parts[0] == "inline" else {
      throw TemplateError(
        kind: .unsupported,
        message: "Decorator blocks other than {{#*inline \"name\"}} are not supported",
        offset: offset)
    }
    switch sexpr.params.first {
    case .path?, .sexpr?, nil:
      throw TemplateError(
        kind: .unsupported,
        message: "An inline partial is named with a string: {{#*inline \"name\"}}",
        offset: offset)
    case let literal?:
      return literal.original
    }
  }

  /// `{{#> name context? hash?}}program{{/name}}`: handlebars.js `preparePartialBlock`.
  private mutating func parsePartialBlock() throws(TemplateError) -> PBlock {
    try enter(at: peek.start)
    defer { nesting -= 1 }
    let (open, name, params, hash, close) = try parsePartialOpener()
    let program = try parseProgram()
    guard peek.kind == .openEndBlock else {
      if peek.kind == .eof {
        throw TemplateError(
          kind: .unclosedBlock, message: "'\(name.original)' block is never closed",
          offset: open.start)
      }
      throw unexpected("'OPEN_ENDBLOCK'")
    }
    let closeOpen = advance()
    let closeName = try parseHelperName()
    let closeToken = try expect(.close, "'CLOSE'")
    if Self.blockName(name) != Self.blockName(closeName) {
      throw TemplateError(
        kind: .mismatchedBlock, message: "\(name.original) doesn't match \(closeName.original)",
        offset: closeOpen.start)
    }
    return PBlock(
      kind: .partialBlock, sexpr: Sexpr(path: name, params: params, hash: hash, offset: open.start),
      program: program, inverse: nil, openStrip: StripFlags(open: open.text, close: close.text),
      inverseStrip: nil, closeStrip: StripFlags(open: closeOpen.text, close: closeToken.text),
      offset: open.start)
  }

  private static func blockName(_ expr: Expr) -> String {
    switch expr {
    case .path(let p): return "p:" + p.original
    case .string(let s, _): return "s:" + s
    case .number(let n, _): return "n:" + JavaScript.numberString(n)
    default: return "l:" + expr.original
    }
  }

  private mutating func parseInverseChain() throws(TemplateError) -> InverseAndProgram {
    if peek.kind == .inverse {
      let token = advance()
      return InverseAndProgram(
        strip: StripFlags(open: token.text, close: token.text), program: try parseProgram(),
        chain: false)
    }
    // `{{else if x}}` is a block inside the inverse of the previous one: a chain of them nests
    // (and is walked recursively by every later pass) as deeply as it is long.
    let open = advance()
    try enter(at: open.start)
    defer { nesting -= 1 }
    let opener = try parseOpener(
      offset: open.start, close: .close, closeName: "'CLOSE'", blockParams: true)
    let strip = StripFlags(open: open.text, close: opener.closeToken.text)
    let program = try parseProgram()
    var nested: InverseAndProgram?
    if peek.kind == .inverse || peek.kind == .openInverseChain {
      nested = try parseInverseChain()
    }
    let block = Self.prepareBlock(
      opener: opener, openStrip: strip, program: program, inverseAndProgram: nested,
      closeStrip: nested?.strip, inverted: false, offset: open.start)
    let chained = PProgram([.block(block)])
    chained.chained = true
    return InverseAndProgram(strip: strip, program: chained, chain: true)
  }

  /// handlebars.js `prepareBlock`.
  private static func prepareBlock(
    kind: PBlock.Kind = .helper, opener: Opener, openStrip: StripFlags, program: PProgram,
    inverseAndProgram: InverseAndProgram?, closeStrip: StripFlags?, inverted: Bool, offset: Int
  ) -> PBlock {
    program.blockParams = opener.blockParams
    var inverse: PProgram?
    var inverseStrip: StripFlags?
    if let inverseAndProgram {
      if inverseAndProgram.chain, case .block(let first)? = inverseAndProgram.program.body.first {
        first.closeStrip = closeStrip
      }
      inverseStrip = inverseAndProgram.strip
      inverse = inverseAndProgram.program
    }
    var main: PProgram? = program
    if inverted { swap(&main, &inverse) }
    return PBlock(
      kind: kind, sexpr: opener.sexpr, program: main, inverse: inverse, openStrip: openStrip,
      inverseStrip: inverseStrip, closeStrip: closeStrip, offset: offset)
  }

  /// `{{> name context? hash?}}` and the opener of a partial block.
  private mutating func parsePartialOpener() throws(TemplateError) -> (
    open: Token, name: Expr, params: [Expr], hash: [HashPair]?, close: Token
  ) {
    let open = advance()
    let name: Expr =
      peek.kind == .openSexpr ? .sexpr(try parseSexpr()) : try parseHelperName()
    let (params, hash) = try parseParamsAndHash()
    let close = try expect(.close, "'CLOSE'")
    if params.count > 1 {
      throw TemplateError(
        kind: .syntax, message: "Unsupported number of partial arguments: \(params.count)",
        offset: open.start)
    }
    return (open, name, params, hash, close)
  }

  private mutating func parsePartial() throws(TemplateError) -> PPartial {
    let (open, name, params, hash, close) = try parsePartialOpener()
    return PPartial(
      name: name, params: params, hash: hash, strip: StripFlags(open: open.text, close: close.text),
      offset: open.start)
  }
}
