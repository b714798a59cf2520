/// The compiled form of a template: the parse tree after the whitespace pass, with paths,
/// helpers and block parameters resolved once so that rendering only walks it.
final class Program: Sendable {
  let nodes: [Node]
  /// Names declared with `as |a b|` on the block that owns this program.
  let blockParams: [String]
  /// Indices of `{{#name}}…{{/name}}` sections that handlebars.js appends separately.
  let breakers: [Int]
  /// The `{{#*inline "name"}}` blocks written directly in this program, in order: handlebars.js
  /// runs them as the program starts (wherever they stand in it), so the partials they define
  /// are visible to the whole program and to everything it includes, until it ends.
  let inlinePartials: [InlinePartialDefinition]

  init(nodes: [Node], blockParams: [String], inlinePartials: [InlinePartialDefinition] = []) {
    self.nodes = nodes
    self.blockParams = blockParams
    self.inlinePartials = inlinePartials
    var breakers: [Int] = []
    for (index, node) in nodes.enumerated() {
      if case .block(let block) = node, case .ambiguous = block.invocation {
        breakers.append(index)
      }
    }
    self.breakers = breakers
  }
}

/// One statement of a compiled program.
enum Node: Sendable {
  case text(String)
  case mustache(Invocation)
  case block(Block)
  case partial(Partial)

  /// Where the statement starts in its template (nil for text, which runs merge).
  var offset: Int? {
    switch self {
    case .text: return nil
    case .mustache(let invocation): return invocation.offset
    case .block(let block): return block.offset
    case .partial(let partial): return partial.offset
    }
  }
}

/// Where a path starts.
enum PathBase: Sendable {
  /// The context `depth` levels up (`../`); 0 is the current context.
  case context(depth: Int)
  /// The `@data` frame `depth` levels up.
  case data(depth: Int)
  /// A block parameter: `frame` declaring blocks up, parameter `index`.
  case blockParam(frame: Int, index: Int)
}

/// A resolved path (a class: rendering passes it around without copying its fields).
final class PathRef: Sendable {
  let base: PathBase
  /// Segments to look up from the base.
  let parts: [String]
  let original: String
  let offset: Int

  init(base: PathBase, parts: [String], original: String, offset: Int) {
    self.base = base
    self.parts = parts
    self.original = original
    self.offset = offset
  }
}

/// An argument expression.
indirect enum Argument: Sendable {
  case path(PathRef)
  case literal(JSONValue?)
  case call(HelperCall)
}

/// A call of a helper (or of something that handlebars.js would try to call as one).
final class HelperCall: Sendable {
  /// The name used in messages.
  let name: String
  /// The helper, when one with this name exists.
  let helper: Helper?
  /// The path handlebars.js falls back to when no helper has the name.
  let path: PathRef
  let params: [Argument]
  let hash: [(key: String, value: Argument)]
  let offset: Int
  /// `helperMissing` or `blockHelperMissing`: handlebars.js compiles them as known helpers but
  /// gives templates no way to call them, so every call fails.
  let isHandlebarsHook: Bool

  init(
    name: String, helper: Helper?, path: PathRef, params: [Argument],
    hash: [(key: String, value: Argument)], offset: Int, isHandlebarsHook: Bool = false
  ) {
    self.isHandlebarsHook = isHandlebarsHook
    self.name = name
    self.helper = helper
    self.path = path
    self.params = params
    self.hash = hash
    self.offset = offset
  }
}

/// handlebars.js' three ways of evaluating a mustache or block (`classifySexpr`).
enum Invocation: Sendable {
  /// A plain value (`{{a.b}}`, `{{../x}}`, block parameters).
  case simple(PathRef)
  /// A single identifier: a helper when one has the name, else the value.
  case ambiguous(PathRef, Helper?)
  /// A helper call with arguments (or a known helper).
  case helper(HelperCall)

  /// Where the invocation starts in its template.
  var offset: Int {
    switch self {
    case .simple(let path), .ambiguous(let path, _): return path.offset
    case .helper(let call): return call.offset
    }
  }
}

/// A block statement.
final class Block: Sendable {
  let invocation: Invocation
  let program: Program?
  let inverse: Program?
  let offset: Int

  init(invocation: Invocation, program: Program?, inverse: Program?, offset: Int) {
    self.invocation = invocation
    self.program = program
    self.inverse = inverse
    self.offset = offset
  }
}

/// `{{#*inline "name"}}program{{/inline}}`.
struct InlinePartialDefinition: Sendable {
  let name: String
  let program: Program
}

/// A partial statement: `{{> name}}`, or `{{#> name}}block{{/name}}` when `block` is set.
final class Partial: Sendable {
  enum Name: Sendable {
    case fixed(String)
    case dynamic(Argument)
    /// `{{> @partial-block}}`: the block of the partial block being rendered.
    case partialBlock
  }

  let name: Name
  let context: Argument?
  let hash: [(key: String, value: Argument)]?
  let indent: String
  /// The block of a partial block: rendered where the partial says `{{> @partial-block}}`, and
  /// in its place when no partial has the name.
  let block: Program?
  let offset: Int

  init(
    name: Name, context: Argument?, hash: [(key: String, value: Argument)]?, indent: String,
    block: Program? = nil, offset: Int
  ) {
    self.name = name
    self.context = context
    self.hash = hash
    self.indent = indent
    self.block = block
    self.offset = offset
  }
}
