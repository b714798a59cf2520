/// The linter's walk over a parse tree, with a scope stack that mirrors handlebars.js' contexts.
struct LintWalker {
  let schema: JSONSchema?
  let partials: any PartialResolver
  /// False when the schema is unusable: variable checks would only be noise.
  var checkVariables = true

  var diagnostics: [Diagnostic] = []
  var source = SourceText("")
  /// Contexts `../` walks through, innermost last (only blocks that change the context push).
  var scopes: [Shape] = []
  /// Block parameters in scope, innermost last.
  var blockParams: [[String: Shape]] = []
  /// How many iterating blocks enclose the current statement (`@index` is valid inside).
  private var iterating = 0
  /// Top-level names the template uses.
  private var used: Set<String> = []
  private var usesWholeRoot = false
  /// Partials being walked, outermost first; non-empty while inside a partial. It says where
  /// diagnostics point: an inline partial or a partial block is walked in the chain of the
  /// template that wrote it.
  var partialChain: [String] = []
  /// Partials being included, outermost first, however they were written: what cycles are
  /// found in.
  var inclusions: [String] = []
  /// Inline partials in scope, by name.
  var inlineScope: [String: LintInlinePartial] = [:]
  /// `@partial-block` where the walk is: nil in the template being linted, which may itself
  /// be a layout.
  var partialBlock: LintPartialBlock?
  /// The parsed nesting of the template being walked.
  var templateNesting = 0
  /// Offset of the `{{> …}}` in the main template that led into the current partial.
  var callSite = 0
  var reported: Set<String> = []
  /// What this lint has used of its `RenderLimits`.
  let budget: RenderBudget
  /// Set once a budget runs out: the walk then unwinds without looking at anything else.
  var halted = false
  /// Blocks being walked, partials included (the renderer's nesting, checked at inclusions).
  var nesting = 0
  /// Partials resolved and parsed during this lint, by name: a partial included many times is
  /// parsed once (each inclusion is still walked, with its own context, and counted).
  var partialCache: [String: PartialEntry] = [:]

  enum PartialEntry {
    case parsed(Parser.Parsed, SourceText)
    case missing
    case failed(TemplateError)
  }

  init(schema: JSONSchema?, partials: some PartialResolver, limits: RenderLimits) {
    self.schema = schema
    self.partials = partials
    self.budget = RenderBudget(limits)
  }

  mutating func run(_ text: String) {
    source = SourceText(text)
    let tree: PProgram
    do {
      let parsed = try Parser.parse(source, limits: budget.limits)
      tree = parsed.tree
      templateNesting = parsed.nesting
    } catch {
      report(Self.code(for: error.kind), error.message, at: error.offset, limit: error.limit)
      return
    }

    scopes = [.root(schema)]
    walk(tree)
    if let schema {
      for name in schema.declaredPropertyNames where BuiltinVariables.names.contains(name) {
        diagnostics.append(
          Diagnostic(
            severity: .error, code: .shadowedBuiltin,
            message: "schema property '\(name)' has the name of a built-in issue variable",
            line: 1, column: 1))
      }
    }
  }

  func finish() -> [Diagnostic] {
    var all = diagnostics
    // After a budget ran out the walk is incomplete: "never used" would be a guess.
    if let schema, checkVariables, !usesWholeRoot, !halted {
      for name in schema.declaredPropertyNames
      where !used.contains(name) && !BuiltinVariables.names.contains(name) {
        all.append(
          Diagnostic(
            severity: .warning, code: .unusedVariable,
            message: "schema property '\(name)' is never used", line: 1, column: 1))
      }
    }
    return all.enumerated().sorted {
      ($0.element.line, $0.element.column, $0.offset) < (
        $1.element.line, $1.element.column, $1.offset
      )
    }.map(\.element)
  }

  static func code(for kind: TemplateError.Kind) -> DiagnosticCode {
    switch kind {
    case .unclosedBlock: return .unclosedBlock
    case .mismatchedBlock: return .mismatchedBlock
    case .missingPartial: return .missingPartial
    case .circularPartial: return .circularPartial
    case .limitExceeded: return .limitExceeded
    default: return .syntaxError
    }
  }

  // MARK: - Reporting

  mutating func report(
    _ code: DiagnosticCode, _ message: String, at offset: Int,
    severity: Diagnostic.Severity = .error, limit: RenderLimit? = nil
  ) {
    var text = message
    var place = offset
    if let partial = partialChain.last {
      let (line, column) = source.lineAndColumn(of: offset)
      text = "in partial '\(partial)' (\(line):\(column)): \(message)"
      place = callSite
    }
    let key = "\(code.rawValue)|\(place)|\(text)"
    guard reported.insert(key).inserted else { return }
    let location = partialChain.isEmpty ? source : mainSource
    let (line, column) = location.lineAndColumn(of: place)
    diagnostics.append(
      Diagnostic(
        severity: severity, code: code, message: text, line: line, column: column, limit: limit))
  }

  /// Reports a budget that ran out at `offset` and stops the walk.
  mutating func stop(_ exceeded: RenderBudget.Exceeded, at offset: Int) {
    report(
      .limitExceeded, budget.limits.message(for: exceeded.limit), at: offset,
      limit: exceeded.limit)
    halted = true
  }

  var mainSource = SourceText("")

  // MARK: - Walk

  mutating func walk(_ program: PProgram?) {
    guard let program else { return }
    let defined = defineInlinePartials(of: program)
    defer { endInlinePartials(defined) }
    for node in program.body {
      if halted { return }
      do { try budget.step() } catch {
        stop(error, at: node.offset)
        return
      }
      switch node {
      case .content, .comment: continue
      case .mustache(let mustache): mustacheStatement(mustache.sexpr)
      case .block(let block):
        switch block.kind {
        case .helper: blockStatement(block)
        case .inlinePartial: continue
        case .partialBlock: partialBlockStatement(block)
        }
      case .partial(let partial): partialStatement(partial)
      }
    }
  }

  private func blockParamShape(_ name: String) -> Shape? {
    for frame in blockParams.reversed() {
      if let shape = frame[name] { return shape }
    }
    return nil
  }

  /// The helper a call names, following handlebars.js' lookup rules.
  private func helper(for path: PathExpr) -> Helper? {
    if let first = path.parts.first, let known = Helper(rawValue: first), known.isKnown {
      return known
    }
    return path.isSimple ? Helper(rawValue: path.original) : nil
  }

  private func isBlockParam(_ path: PathExpr) -> Bool {
    path.isSimple && blockParamShape(path.parts[0]) != nil
  }

  private mutating func mustacheStatement(_ sexpr: Sexpr) {
    guard let path = sexpr.path.asPath else { return }
    if isBlockParam(path) {
      _ = resolve(path)
      return
    }
    let hasArguments = !sexpr.params.isEmpty || sexpr.hash != nil
    if hasArguments || (path.isSimple && Helper(rawValue: path.parts[0])?.isKnown == true) {
      helperCall(sexpr, path: path, asBlock: false)
      return
    }
    if path.isSimple, let helper = Helper(rawValue: path.parts[0]) {
      checkArity(helper, count: 0, name: path.original, at: path.offset, asBlock: false)
      return
    }
    _ = resolve(path)
  }

  /// Checks a call with arguments; returns the helper when it exists.
  @discardableResult
  private mutating func helperCall(_ sexpr: Sexpr, path: PathExpr, asBlock: Bool) -> Helper? {
    for param in sexpr.params { _ = argument(param) }
    for pair in sexpr.hash ?? [] { _ = argument(pair.value) }
    guard let helper = helper(for: path) else {
      report(.unknownHelper, "unknown helper '\(path.original)'", at: path.offset)
      return nil
    }
    checkArity(
      helper, count: sexpr.params.count, name: path.original, at: path.offset, asBlock: asBlock)
    return helper
  }

  private mutating func checkArity(
    _ helper: Helper, count: Int, name: String, at offset: Int, asBlock: Bool
  ) {
    if helper.isBlockHelper && !asBlock {
      report(
        .misusedHelper, "'\(name)' is a block helper: write {{#\(name) …}}…{{/\(name)}}",
        at: offset)
      return
    }
    let (low, high) = helper.arity
    guard count < low || count > (high ?? Int.max) else { return }
    let expected: String
    if let high {
      expected = low == high ? "\(low)" : "\(low) to \(high)"
    } else {
      expected = "at least \(low)"
    }
    let plural = expected == "1" ? "argument" : "arguments"
    report(
      .wrongArity, "'\(name)' takes \(expected) \(plural), got \(count)", at: offset)
  }

  /// Checks an argument and returns what is known of its value.
  mutating func argument(_ expr: Expr) -> Shape {
    switch expr {
    case .path(let path):
      return resolve(path) ?? .any
    case .sexpr(let sexpr):
      guard let path = sexpr.path.asPath else { return .any }
      if isBlockParam(path) { return resolve(path) ?? .any }
      let helper = helperCall(sexpr, path: path, asBlock: false)
      if helper == .lookup, sexpr.params.count == 2 {
        return lookupShape(sexpr)
      }
      if helper == .default, let first = sexpr.params.first, case .path(let p) = first {
        return resolveQuietly(p) ?? .any
      }
      return .any
    default:
      return .scalar
    }
  }

  private mutating func lookupShape(_ sexpr: Sexpr) -> Shape {
    guard case .path(let objectPath) = sexpr.params[0], let object = resolveQuietly(objectPath)
    else { return .any }
    if case .string(let key, _) = sexpr.params[1] {
      return object.member(key) ?? .any
    }
    if case .root = object { usesWholeRoot = true }
    return .any
  }

  /// Resolves a path without reporting (for shapes of already-checked arguments).
  private mutating func resolveQuietly(_ path: PathExpr) -> Shape? {
    let saved = diagnostics
    let savedReported = reported
    let shape = resolve(path)
    diagnostics = saved
    reported = savedReported
    return shape
  }

  /// Resolves a path to a shape, reporting `undefined-variable` when it cannot exist.
  private mutating func resolve(_ path: PathExpr) -> Shape? {
    var shape: Shape
    var parts = path.parts[...]
    var walked = ""
    if path.depth == 0 && !path.scoped, let first = parts.first, let bp = blockParamShape(first) {
      shape = bp
      walked = first
      parts = parts.dropFirst()
    } else if path.data {
      guard let first = parts.first else { return .any }
      parts = parts.dropFirst()
      walked = "@" + first
      switch first {
      case "root":
        shape = .root(schema)
        if parts.isEmpty { usesWholeRoot = true }
      case "partial-block":
        // A layout tests whether it was given a block; nothing more can be known.
        return .any
      case "index", "key", "first", "last":
        if iterating == 0 && checkVariables {
          report(.undefinedVariable, "'@\(first)' is only defined inside #each", at: path.offset)
          return nil
        }
        shape = .scalar
      default:
        if checkVariables {
          report(.undefinedVariable, "unknown data variable '@\(first)'", at: path.offset)
        }
        return nil
      }
    } else {
      guard path.depth < scopes.count else {
        if checkVariables {
          report(
            .undefinedVariable, "'\(path.original)' goes above the template's root",
            at: path.offset)
        }
        return nil
      }
      shape = scopes[scopes.count - 1 - path.depth]
      if case .root = shape {
        if let first = parts.first { used.insert(first) } else { usesWholeRoot = true }
      }
    }
    for part in parts {
      guard let next = shape.member(part) else {
        if checkVariables {
          let message =
            walked.isEmpty
            ? "'\(path.original)' is not a built-in variable and the schema does not declare it"
            : "'\(path.original)': '\(walked)' has no member '\(part)'"
          report(.undefinedVariable, message, at: path.offset)
        }
        return nil
      }
      walked += walked.isEmpty ? part : "." + part
      shape = next
    }
    return shape
  }

  // MARK: - Blocks

  private mutating func blockStatement(_ block: PBlock) {
    nesting += 1
    defer { nesting -= 1 }
    let sexpr = block.sexpr
    guard let path = sexpr.path.asPath else { return }
    let hasArguments = !sexpr.params.isEmpty || sexpr.hash != nil
    let simpleHelper = path.isSimple ? Helper(rawValue: path.parts[0]) : nil
    if !isBlockParam(path),
      hasArguments || simpleHelper?.isKnown == true || simpleHelper != nil
    {
      let helper: Helper?
      if hasArguments || simpleHelper?.isKnown == true {
        helper = helperCall(sexpr, path: path, asBlock: true)
      } else {
        helper = simpleHelper
        if let helper {
          checkArity(helper, count: 0, name: path.original, at: path.offset, asBlock: true)
        }
      }
      helperBlock(helper, block: block, path: path)
      return
    }
    // A section: {{#value}}…{{/value}} or {{^value}}…{{/value}}.
    let shape = resolve(path) ?? .any
    section(shape, block: block, blockParamNames: block.program?.blockParams ?? [])
  }

  private mutating func helperBlock(_ helper: Helper?, block: PBlock, path: PathExpr) {
    let names = block.program?.blockParams ?? []
    switch helper {
    case .each?:
      let list = block.sexpr.params.first.map { argumentShapeQuietly($0) } ?? .any
      let item = list.items
      iterate(item, names: names, [item, .scalar]) { $0.walk(block.program) }
      walk(block.inverse)
    case .with?:
      let value = block.sexpr.params.first.map { argumentShapeQuietly($0) } ?? .any
      withContext(value, names: names, [value]) { $0.walk(block.program) }
      walk(block.inverse)
    case .if?, .unless?, .lookup?, .log?, nil:
      withBlockParams(names, []) { $0.walk(block.program) }
      walk(block.inverse)
    case let other?:
      report(
        .misusedHelper, "'\(other.rawValue)' ignores its block: write {{\(other.rawValue) …}}",
        at: path.offset, severity: .warning)
      walk(block.program)
      walk(block.inverse)
    }
  }

  private mutating func section(_ shape: Shape, block: PBlock, blockParamNames: [String]) {
    switch shape.sectionKind {
    case .list:
      let item = shape.items
      iterate(item, names: blockParamNames, [item, .scalar]) { $0.walk(block.program) }
    case .object:
      withContext(shape, names: blockParamNames, []) { $0.walk(block.program) }
    case .sameContext:
      withBlockParams(blockParamNames, []) { $0.walk(block.program) }
    case .other:
      iterating += 1
      withContext(.any, names: blockParamNames, [.any, .scalar]) { $0.walk(block.program) }
      iterating -= 1
    }
    walk(block.inverse)
  }

  private mutating func argumentShapeQuietly(_ expr: Expr) -> Shape {
    switch expr {
    case .path(let path): return resolveQuietly(path) ?? .any
    case .sexpr:
      let saved = diagnostics
      let savedReported = reported
      let shape = argument(expr)
      diagnostics = saved
      reported = savedReported
      return shape
    default: return .scalar
    }
  }

  private mutating func iterate(
    _ item: Shape, names: [String], _ values: [Shape], body: (inout LintWalker) -> Void
  ) {
    iterating += 1
    withContext(item, names: names, values, body: body)
    iterating -= 1
  }

  private mutating func withContext(
    _ context: Shape, names: [String], _ values: [Shape], body: (inout LintWalker) -> Void
  ) {
    scopes.append(context)
    withBlockParams(names, values, body: body)
    scopes.removeLast()
  }

  private mutating func withBlockParams(
    _ names: [String], _ values: [Shape], body: (inout LintWalker) -> Void
  ) {
    if names.isEmpty {
      body(&self)
      return
    }
    var frame: [String: Shape] = [:]
    for (i, name) in names.enumerated() where frame[name] == nil {
      frame[name] = i < values.count ? values[i] : .any
    }
    blockParams.append(frame)
    body(&self)
    blockParams.removeLast()
  }
}
