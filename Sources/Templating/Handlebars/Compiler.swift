/// Turns the parse tree (after the whitespace pass) into `Program`s: classifies each mustache
/// and block as handlebars.js' compiler does and resolves block parameters statically.
struct Compiler {
  /// Block parameter names of the enclosing declaring programs, innermost last.
  private var scopes: [[String]] = []
  /// Whether any path uses `../`.
  private(set) var usesDepths = false

  static func compile(_ root: PProgram) -> Program {
    var compiler = Compiler()
    return compiler.program(root)
  }

  private mutating func program(_ program: PProgram) -> Program {
    let names = program.blockParams ?? []
    if !names.isEmpty { scopes.append(names) }
    defer { if !names.isEmpty { scopes.removeLast() } }
    var nodes: [Node] = []
    var inlinePartials: [InlinePartialDefinition] = []
    var pendingText = ""
    func flush() {
      if !pendingText.isEmpty {
        nodes.append(.text(pendingText))
        pendingText = ""
      }
    }
    for node in program.body {
      switch node {
      case .content(let content):
        pendingText += content.value
      case .comment:
        continue
      case .mustache(let mustache):
        flush()
        nodes.append(.mustache(invocation(mustache.sexpr)))
      case .block(let block) where block.kind.isInlinePartial:
        // Outputs nothing where it stands, so the text around it stays one run.
        inlinePartials.append(inlinePartial(block))
      case .block(let block) where block.kind.isPartialBlock:
        flush()
        nodes.append(.partial(partialBlock(block)))
      case .block(let block):
        flush()
        let invocation = invocation(block.sexpr)
        let main = block.program.map { self.program($0) }
        let inverse = block.inverse.map { self.program($0) }
        nodes.append(
          .block(
            Block(invocation: invocation, program: main, inverse: inverse, offset: block.offset))
        )
      case .partial(let partial):
        flush()
        nodes.append(.partial(self.partial(partial)))
      }
    }
    flush()
    return Program(nodes: nodes, blockParams: names, inlinePartials: inlinePartials)
  }

  /// An inline partial renders wherever it is included, far from the blocks around its
  /// definition, so their block parameters are not in scope inside it.
  private mutating func inlinePartial(_ block: PBlock) -> InlinePartialDefinition {
    guard case .inlinePartial(let name) = block.kind else { preconditionFailure("not inline") }
    let enclosing = scopes
    scopes = []
    defer { scopes = enclosing }
    return InlinePartialDefinition(name: name, program: program(block.program ?? PProgram([])))
  }

  /// `{{#> name}}block{{/name}}`: the block is compiled where it stands, in the scope of the
  /// blocks around it, since it renders as part of the including template.
  private mutating func partialBlock(_ block: PBlock) -> Partial {
    Partial(
      name: partialName(block.sexpr.path), context: block.sexpr.params.first.map { argument($0) },
      hash: block.sexpr.hash.map { pairs in pairs.map { (key: $0.key, value: argument($0.value)) }
      },
      indent: "", block: program(block.program ?? PProgram([])), offset: block.offset)
  }

  private func blockParamIndex(_ name: String) -> (Int, Int)? {
    for (depth, names) in scopes.reversed().enumerated() {
      if let index = names.firstIndex(of: name) { return (depth, index) }
    }
    return nil
  }

  private mutating func resolve(_ path: PathExpr) -> PathRef {
    if path.depth > 0 { usesDepths = true }
    if path.depth == 0 && !path.scoped, let name = path.parts.first,
      let (frame, index) = blockParamIndex(name)
    {
      return PathRef(
        base: .blockParam(frame: frame, index: index), parts: Array(path.parts.dropFirst()),
        original: path.original, offset: path.offset)
    }
    if path.data && !path.parts.isEmpty {
      return PathRef(
        base: .data(depth: path.depth), parts: path.parts, original: path.original,
        offset: path.offset)
    }
    return PathRef(
      base: .context(depth: path.depth), parts: path.parts, original: path.original,
      offset: path.offset)
  }

  /// handlebars.js `classifySexpr` and the three code paths that follow it.
  private mutating func invocation(_ sexpr: Sexpr) -> Invocation {
    guard let path = sexpr.path.asPath else {
      return .simple(
        PathRef(base: .context(depth: 0), parts: [], original: "", offset: sexpr.offset))
    }
    let isBlockParam = path.isSimple && blockParamIndex(path.parts[0]) != nil
    var isHelper =
      !isBlockParam && (sexpr.isSubexpression || !sexpr.params.isEmpty || sexpr.hash != nil)
    let isEligible = !isBlockParam && (isHelper || path.isSimple)
    if isEligible && !isHelper, let known = Helper(rawValue: path.parts[0]), known.isKnown {
      isHelper = true
    }
    if isEligible && (path.parts[0] == "helperMissing" || path.parts[0] == "blockHelperMissing") {
      return .helper(
        HelperCall(
          name: path.original, helper: nil, path: resolve(path), params: [], hash: [],
          offset: sexpr.offset, isHandlebarsHook: true))
    }
    if isHelper { return .helper(helperCall(sexpr, path: path)) }
    if isEligible { return .ambiguous(resolve(path), Helper(rawValue: path.parts[0])) }
    return .simple(resolve(path))
  }

  private mutating func helperCall(_ sexpr: Sexpr, path: PathExpr) -> HelperCall {
    var helper: Helper?
    if let first = path.parts.first, let known = Helper(rawValue: first), known.isKnown {
      helper = known
    } else if path.isSimple {
      helper = Helper(rawValue: path.original)
    }
    return HelperCall(
      name: path.original, helper: helper, path: resolve(path),
      params: sexpr.params.map { argument($0) },
      hash: (sexpr.hash ?? []).map { (key: $0.key, value: argument($0.value)) },
      offset: sexpr.offset)
  }

  private mutating func argument(_ expr: Expr) -> Argument {
    switch expr {
    case .path(let path): return .path(resolve(path))
    case .string(let s, _): return .literal(.string(s))
    case .number(let n, _): return .literal(.number(n))
    case .bool(let b, _): return .literal(.bool(b))
    case .null: return .literal(.null)
    case .undefined: return .literal(nil)
    case .sexpr(let sexpr):
      switch invocation(sexpr) {
      case .helper(let call): return .call(call)
      case .simple(let path), .ambiguous(let path, _): return .path(path)
      }
    }
  }

  private mutating func partialName(_ expr: Expr) -> Partial.Name {
    switch expr {
    case .sexpr: return .dynamic(argument(expr))
    case .path(let path) where path.data && path.original == "@partial-block": return .partialBlock
    default: return .fixed(expr.original)
    }
  }

  private mutating func partial(_ partial: PPartial) -> Partial {
    Partial(
      name: partialName(partial.name), context: partial.params.first.map { argument($0) },
      hash: partial.hash.map { pairs in pairs.map { (key: $0.key, value: argument($0.value)) } },
      indent: partial.indent, offset: partial.offset)
  }
}
