/// The parse tree, shaped like handlebars.js' AST so that its whitespace rules apply verbatim.
/// Content nodes are classes because the whitespace pass edits them in place.

/// `{{~` and `~}}` flags of a tag.
struct StripFlags: Sendable {
  var open = false
  var close = false

  /// handlebars.js `stripFlags(open, close)`.
  init(open: String, close: String) {
    let o = open.utf8
    let c = close.utf8
    self.open = o.count > 2 && o[o.index(o.startIndex, offsetBy: 2)] == 0x7E
    self.close = c.count >= 3 && c[c.index(c.endIndex, offsetBy: -3)] == 0x7E
  }

  init() {}
}

/// A path such as `../a.b`, `@root.x`, `this`, `[odd name]`.
struct PathExpr: Sendable {
  var data: Bool
  var depth: Int
  var parts: [String]
  var original: String
  var offset: Int
  /// handlebars.js `scopedId`: `/^\.|this\b/` on the original.
  var scoped: Bool

  /// handlebars.js `simpleId`: one part, not scoped, no depth.
  var isSimple: Bool { parts.count == 1 && !scoped && depth == 0 }
}

/// An expression in a tag: a path, a literal or a subexpression.
indirect enum Expr: Sendable {
  case path(PathExpr)
  case string(String, offset: Int)
  case number(Double, offset: Int)
  case bool(Bool, offset: Int)
  case null(offset: Int)
  case undefined(offset: Int)
  case sexpr(Sexpr)

  var offset: Int {
    switch self {
    case .path(let p): return p.offset
    case .string(_, let o), .number(_, let o), .bool(_, let o): return o
    case .null(let o), .undefined(let o): return o
    case .sexpr(let s): return s.offset
    }
  }

  /// handlebars.js `original`, as a string (used for block names, partial names and literal paths).
  var original: String {
    switch self {
    case .path(let p): return p.original
    case .string(let s, _): return s
    case .number(let n, _): return JavaScript.numberString(n)
    case .bool(let b, _): return b ? "true" : "false"
    case .null: return "null"
    case .undefined: return "undefined"
    case .sexpr: return ""
    }
  }

  /// handlebars.js `transformLiteralToPath`: a literal in helper position is a one-part path.
  var asPath: PathExpr? {
    switch self {
    case .path(let p): return p
    case .sexpr: return nil
    default:
      let name = original
      return PathExpr(
        data: false, depth: 0, parts: [name], original: name, offset: offset,
        scoped: Parser.isScoped(name))
    }
  }
}

/// `name param… key=value…`, the inside of a mustache, block opener or subexpression.
struct Sexpr: Sendable {
  var path: Expr
  var params: [Expr]
  var hash: [HashPair]?
  var offset: Int
  var isSubexpression = false
}

/// `key=value` of a hash.
struct HashPair: Sendable {
  var key: String
  var value: Expr
  var offset: Int
}

final class PContent {
  let original: String
  var value: String
  var leftStripped = false
  var rightStripped = false
  let offset: Int

  init(_ text: String, offset: Int) {
    original = text
    value = text
    self.offset = offset
  }
}

final class PProgram {
  var body: [PNode]
  var blockParams: [String]?
  var chained = false

  init(_ body: [PNode]) {
    self.body = body
  }
}

final class PMustache {
  let sexpr: Sexpr
  let strip: StripFlags

  init(_ sexpr: Sexpr, strip: StripFlags) {
    self.sexpr = sexpr
    self.strip = strip
  }
}

final class PBlock {
  /// What the block statement is: handlebars.js' `BlockStatement`, `DecoratorBlock` (only
  /// `{{#*inline "name"}}` is supported) or `PartialBlockStatement`. The whitespace pass treats
  /// the three alike, as handlebars.js does.
  enum Kind: Sendable {
    /// `{{#name …}}…{{/name}}`: a helper or a section; `sexpr` is the call.
    case helper
    /// `{{#*inline "name"}}…{{/inline}}`: defines the partial `name` for the enclosing program.
    case inlinePartial(name: String)
    /// `{{#> name …}}…{{/name}}`: includes `name` (`sexpr.path`), the block its fallback and
    /// its `@partial-block`.
    case partialBlock

    var isInlinePartial: Bool {
      if case .inlinePartial = self { return true }
      return false
    }

    var isPartialBlock: Bool {
      if case .partialBlock = self { return true }
      return false
    }
  }

  let kind: Kind
  let sexpr: Sexpr
  var program: PProgram?
  var inverse: PProgram?
  let openStrip: StripFlags
  var inverseStrip: StripFlags?
  var closeStrip: StripFlags?
  let offset: Int

  init(
    kind: Kind = .helper, sexpr: Sexpr, program: PProgram?, inverse: PProgram?,
    openStrip: StripFlags, inverseStrip: StripFlags?, closeStrip: StripFlags?, offset: Int
  ) {
    self.kind = kind
    self.sexpr = sexpr
    self.program = program
    self.inverse = inverse
    self.openStrip = openStrip
    self.inverseStrip = inverseStrip
    self.closeStrip = closeStrip
    self.offset = offset
  }
}

final class PPartial {
  let name: Expr
  let params: [Expr]
  let hash: [HashPair]?
  let strip: StripFlags
  var indent = ""
  let offset: Int

  init(name: Expr, params: [Expr], hash: [HashPair]?, strip: StripFlags, offset: Int) {
    self.name = name
    self.params = params
    self.hash = hash
    self.strip = strip
    self.offset = offset
  }
}

final class PComment {
  let value: String
  let strip: StripFlags
  let offset: Int

  init(value: String, strip: StripFlags, offset: Int) {
    self.value = value
    self.strip = strip
    self.offset = offset
  }
}

enum PNode {
  case content(PContent)
  case mustache(PMustache)
  case block(PBlock)
  case partial(PPartial)
  case comment(PComment)

  /// Where the statement starts in its template.
  var offset: Int {
    switch self {
    case .content(let content): return content.offset
    case .mustache(let mustache): return mustache.sexpr.offset
    case .block(let block): return block.offset
    case .partial(let partial): return partial.offset
    case .comment(let comment): return comment.offset
    }
  }
}
