/// An inline partial as the linter sees it: where it was written, with what context, and
/// whether anything included it (one nothing includes is still checked, where it stands).
final class LintInlinePartial {
  let name: String
  let program: PProgram
  let offset: Int
  let source: SourceText
  let partialChain: [String]
  let callSite: Int
  let nesting: Int
  let context: Shape
  var included = false

  init(
    name: String, program: PProgram, offset: Int, source: SourceText, partialChain: [String],
    callSite: Int, nesting: Int, context: Shape
  ) {
    self.name = name
    self.program = program
    self.offset = offset
    self.source = source
    self.partialChain = partialChain
    self.callSite = callSite
    self.nesting = nesting
    self.context = context
  }
}

/// The block of `{{#> name}}block{{/name}}` with the walker's state where it was written: it is
/// checked where the partial includes `{{> @partial-block}}`, as part of the including template.
final class LintPartialBlock {
  let program: PProgram
  let source: SourceText
  let partialChain: [String]
  let callSite: Int
  let nesting: Int
  let scopes: [Shape]
  let blockParams: [[String: Shape]]
  let inlineScope: [String: LintInlinePartial]
  let outer: LintPartialBlock?
  /// The context the partial block gives its partial, when it gives one.
  let partialContext: Shape?
  /// The inline partials written directly in the block, which handlebars.js passes to the
  /// partial (`fn.partials`).
  let inlinePartials: [LintInlinePartial]
  var walked = false

  init(
    program: PProgram, source: SourceText, partialChain: [String], callSite: Int, nesting: Int,
    scopes: [Shape], blockParams: [[String: Shape]], inlineScope: [String: LintInlinePartial],
    outer: LintPartialBlock?, partialContext: Shape?, inlinePartials: [LintInlinePartial]
  ) {
    self.program = program
    self.source = source
    self.partialChain = partialChain
    self.callSite = callSite
    self.nesting = nesting
    self.scopes = scopes
    self.blockParams = blockParams
    self.inlineScope = inlineScope
    self.outer = outer
    self.partialContext = partialContext
    self.inlinePartials = inlinePartials
  }
}

extension LintWalker {
  /// The inline partials a program defines, in scope from its start (as handlebars.js runs
  /// them), with the scope they extend.
  struct InlineDefinitions {
    var enclosing: [String: LintInlinePartial]
    var defined: [LintInlinePartial]
  }

  mutating func defineInlinePartials(of program: PProgram) -> InlineDefinitions? {
    let defined = inlinePartials(of: program)
    guard !defined.isEmpty else { return nil }
    let enclosing = inlineScope
    for inline in defined { inlineScope[inline.name] = inline }
    return InlineDefinitions(enclosing: enclosing, defined: defined)
  }

  /// The `{{#*inline}}` blocks written directly in `program`, defined where the walk is.
  private func inlinePartials(of program: PProgram) -> [LintInlinePartial] {
    program.body.compactMap { node in
      guard case .block(let block) = node, case .inlinePartial(let name) = block.kind else {
        return nil
      }
      return LintInlinePartial(
        name: name, program: block.program ?? PProgram([]), offset: block.offset,
        source: source, partialChain: partialChain, callSite: callSite,
        nesting: templateNesting, context: scopes[scopes.count - 1])
    }
  }

  /// Checks the inline partials nothing included, in the context where they stand, and ends
  /// their scope.
  mutating func endInlinePartials(_ definitions: InlineDefinitions?) {
    guard let definitions else { return }
    for inline in definitions.defined where !inline.included && !halted {
      walkInline(inline, context: inline.context, at: inline.offset, block: nil)
    }
    inlineScope = definitions.enclosing
  }

  /// The context a partial statement gives (its argument, or `.any` with a hash), nil when it
  /// gives none; its arguments are checked on the way.
  private mutating func givenContext(params: [Expr], hash: [HashPair]?) -> Shape? {
    var given = params.first.map { argument($0) }
    for pair in hash ?? [] { _ = argument(pair.value) }
    if hash != nil { given = .any }
    return given
  }

  private func isPartialBlockName(_ expr: Expr) -> Bool {
    guard case .path(let path) = expr else { return false }
    return path.data && path.original == "@partial-block"
  }

  /// The context `{{> @partial-block}}` renders its block with, beyond the block's own scopes.
  private func blockContext(_ block: LintPartialBlock, given: Shape?) -> Shape? {
    given ?? (scopes.count > 1 ? scopes[scopes.count - 1] : block.partialContext)
  }

  mutating func partialStatement(_ partial: PPartial) {
    let given = givenContext(params: partial.params, hash: partial.hash)
    include(partial.name, given: given, at: partial.offset, block: nil)
  }

  mutating func partialBlockStatement(_ statement: PBlock) {
    nesting += 1
    defer { nesting -= 1 }
    let sexpr = statement.sexpr
    let given = givenContext(params: sexpr.params, hash: sexpr.hash)
    let program = statement.program ?? PProgram([])
    let passed = inlinePartials(of: program)
    // Checked where the block defines them; passed to the partial, they only need to resolve.
    for inline in passed { inline.included = true }
    let block = LintPartialBlock(
      program: program, source: source, partialChain: partialChain, callSite: callSite,
      nesting: templateNesting, scopes: scopes, blockParams: blockParams,
      inlineScope: inlineScope, outer: partialBlock, partialContext: given,
      inlinePartials: passed)
    include(sexpr.path, given: given, at: statement.offset, block: block)
    // A block its partial never renders (or a dynamic partial's) is still checked where it is.
    if !block.walked && !halted {
      walkBlock(block, context: given, at: statement.offset)
    }
  }

  /// `{{> name}}` or `{{#> name}}…`: a dynamic name is only checked, `@partial-block` walks
  /// the enclosing block (none while linting a layout on its own: its includers give it), any
  /// other name is included.
  private mutating func include(
    _ name: Expr, given: Shape?, at offset: Int, block: LintPartialBlock?
  ) {
    if case .sexpr = name {
      _ = argument(name)
    } else if isPartialBlockName(name) {
      if let outer = partialBlock {
        walkBlock(outer, context: blockContext(outer, given: given), at: offset)
      }
    } else {
      includePartial(
        name.original, context: given ?? scopes[scopes.count - 1], at: offset, block: block)
    }
  }

  /// Whether one more inclusion named `name` may be walked; reports a cycle or the depth limit.
  private mutating func mayInclude(_ name: String, at offset: Int) -> Bool {
    if inclusions.contains(name) {
      let chain = (inclusions + [name]).joined(separator: " → ")
      report(.circularPartial, "circular partial: \(chain)", at: offset)
      return false
    }
    return mayNest(at: offset)
  }

  /// Whether one more level of inclusion may be walked; reports the depth limit.
  private mutating func mayNest(at offset: Int) -> Bool {
    guard inclusions.count < Template.maxPartialDepth else {
      report(
        .circularPartial, "partials nest deeper than \(Template.maxPartialDepth) levels",
        at: offset)
      return false
    }
    return true
  }

  /// Counts one inclusion of a template nesting `depth` deep; false when a budget ran out.
  private mutating func mayExpand(nesting depth: Int, at offset: Int) -> Bool {
    if nesting + depth > budget.limits.maxNesting {
      report(
        .limitExceeded, budget.limits.message(for: .nesting), at: offset, limit: .nesting)
      return false
    }
    do { try budget.expandPartial() } catch {
      stop(error, at: offset)
      return false
    }
    return true
  }

  mutating func includePartial(
    _ name: String, context: Shape, at offset: Int, block: LintPartialBlock? = nil
  ) {
    guard mayInclude(name, at: offset) else { return }
    if let inline = inlineScope[name] {
      walkInline(inline, context: context, at: offset, block: block)
      return
    }
    let parsed: Parser.Parsed
    let partialSource: SourceText
    switch partialEntry(name) {
    case .failed(let error):
      report(
        error.kind == .limitExceeded ? .limitExceeded : .syntaxError,
        "partial '\(name)' does not compile: \(error.message)", at: offset, limit: error.limit)
      return
    case .missing:
      guard let block else {
        report(.missingPartial, "no partial named '\(name)'", at: offset)
        return
      }
      report(
        .missingPartial, "no partial named '\(name)': its block renders in its place",
        at: offset, severity: .warning)
      walkBlock(block, context: block.partialContext, at: offset)
      return
    case .parsed(let tree, let text):
      parsed = tree
      partialSource = text
    }
    guard mayExpand(nesting: parsed.nesting, at: offset) else { return }
    // Walk the partial with the caller's context; its own blocks and block params start fresh.
    let saved = savedState()
    defer { restore(saved) }
    if partialChain.isEmpty {
      mainSource = source
      callSite = offset
    }
    partialChain.append(name)
    inclusions.append(name)
    source = partialSource
    scopes = [context]
    blockParams = []
    templateNesting = parsed.nesting
    give(block)
    walk(parsed.tree)
  }

  /// Hands a partial block to the partial being entered: its `@partial-block`, and its own
  /// inline partials (handlebars.js passes `fn.partials` along).
  private mutating func give(_ block: LintPartialBlock?) {
    guard let block else { return }
    partialBlock = block
    for inline in block.inlinePartials { inlineScope[inline.name] = inline }
  }

  /// Walks an inline partial where it is included, in the template that wrote it.
  mutating func walkInline(
    _ inline: LintInlinePartial, context: Shape, at offset: Int, block: LintPartialBlock?
  ) {
    inline.included = true
    guard mayExpand(nesting: inline.nesting, at: offset) else { return }
    let saved = savedState()
    defer { restore(saved) }
    inclusions.append(inline.name)
    source = inline.source
    partialChain = inline.partialChain
    callSite = inline.callSite
    scopes = [context]
    blockParams = []
    templateNesting = inline.nesting
    give(block)
    walk(inline.program)
  }

  /// Walks a partial block's block where it renders, as part of the template that wrote it.
  mutating func walkBlock(_ block: LintPartialBlock, context: Shape?, at offset: Int) {
    block.walked = true
    // A block's `{{> @partial-block}}` is the enclosing block's, so these cannot cycle.
    guard mayNest(at: offset), mayExpand(nesting: block.nesting, at: offset) else { return }
    let saved = savedState()
    defer { restore(saved) }
    inclusions.append("@partial-block")
    source = block.source
    partialChain = block.partialChain
    callSite = block.callSite
    scopes = block.scopes + (context.map { [$0] } ?? [])
    blockParams = block.blockParams
    inlineScope = block.inlineScope
    partialBlock = block.outer
    templateNesting = block.nesting
    walk(block.program)
  }

  private struct WalkState {
    var source: SourceText
    var scopes: [Shape]
    var blockParams: [[String: Shape]]
    var callSite: Int
    var partialChain: [String]
    var inclusions: [String]
    var inlineScope: [String: LintInlinePartial]
    var partialBlock: LintPartialBlock?
    var templateNesting: Int
  }

  private func savedState() -> WalkState {
    WalkState(
      source: source, scopes: scopes, blockParams: blockParams, callSite: callSite,
      partialChain: partialChain, inclusions: inclusions, inlineScope: inlineScope,
      partialBlock: partialBlock, templateNesting: templateNesting)
  }

  private mutating func restore(_ state: WalkState) {
    source = state.source
    scopes = state.scopes
    blockParams = state.blockParams
    callSite = state.callSite
    partialChain = state.partialChain
    inclusions = state.inclusions
    inlineScope = state.inlineScope
    partialBlock = state.partialBlock
    templateNesting = state.templateNesting
  }

  /// The partial named `name`, resolved and parsed on first use in this lint.
  mutating func partialEntry(_ name: String) -> PartialEntry {
    if let cached = partialCache[name] { return cached }
    let entry: PartialEntry
    do {
      if let compiled = try partials.partial(named: name, limits: budget.limits) {
        entry = .parsed(try Parser.parse(compiled.source, limits: budget.limits), compiled.source)
      } else {
        entry = .missing
      }
    } catch {
      entry = .failed(error)
    }
    partialCache[name] = entry
    return entry
  }
}
