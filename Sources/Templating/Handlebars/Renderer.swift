/// Walks a compiled template with a context, as handlebars.js' runtime does.
final class Renderer {
  /// The part of a helper call that renders blocks: `options.fn` and `options.inverse`.
  struct Blocks {
    /// False for a mustache (`{{if x}}`): handlebars.js then has no `fn` to call.
    var isBlock: Bool
    var fn: Program?
    var inverse: Program?

    static let none = Blocks(isBlock: false, fn: nil, inverse: nil)
  }

  let partials: any PartialResolver
  /// `depths` of handlebars.js, innermost last: the distinct contexts `../` walks through.
  var depths: [Value] = []
  var blockParamFrames: [[Value]] = []
  /// `depth0`: the current context.
  var context: Value
  var data: DataFrame
  var partialStack: [String] = []
  /// The template whose code is running: where errors point.
  var unit: SourceUnit
  /// Inline partials visible to the running program.
  var inlineScope: InlineScope = [:]
  /// Every partial block of this render, by `Value.functionIndex`.
  var partialBlockCalls: [PartialBlockCall] = []
  private var nextIdentity: UInt64 = 16
  /// What this render has used of its `RenderLimits`.
  let budget: RenderBudget
  /// The encoding `truncateTokens` counts in; nil when the caller has none.
  let tokens: (any TokenTruncator)?
  /// Offset of the construct being evaluated in the current template or partial: where a
  /// budget error points.
  var site = 0
  /// Block bodies being rendered, partials included: at most the nesting of the templates.
  var nestingDepth = 0

  init(
    context: Value, partials: any PartialResolver, limits: RenderLimits, unit: SourceUnit,
    tokens: (any TokenTruncator)? = nil
  ) {
    self.partials = partials
    self.tokens = tokens
    self.unit = unit
    self.context = context
    self.data = DataFrame(root: context)
    self.depths = [context]
    self.budget = RenderBudget(limits)
  }

  /// A fresh identity for an object created while rendering (partial hash contexts).
  func freshIdentity() -> UInt64 {
    nextIdentity += 4
    return nextIdentity | 2
  }

  /// Renders the nodes of a template's root program.
  func renderRoot(_ program: Program, into out: inout String) throws(TemplateError) {
    if let raw = try renderBody(program, outerDepths: [], into: &out) {
      try append(raw, to: &out)
    }
  }

  /// Renders a program with the partials its `{{#*inline}}` blocks define visible until it
  /// ends. `outerDepths` are the `../` contexts around the program, which its inline partials
  /// keep (handlebars.js runs a program's decorators as it wraps the program).
  @inline(__always)
  func renderBody(_ program: Program, outerDepths: [Value], into out: inout String)
    throws(TemplateError) -> Value?
  {
    if program.inlinePartials.isEmpty { return try renderNodes(program, into: &out) }
    return try renderDefiningInlinePartials(program, outerDepths: outerDepths, into: &out)
  }

  @inline(never)
  private func renderDefiningInlinePartials(
    _ program: Program, outerDepths: [Value], into out: inout String
  ) throws(TemplateError) -> Value? {
    let enclosing = inlineScope
    defer { inlineScope = enclosing }
    define(program.inlinePartials, outerDepths: outerDepths)
    return try renderNodes(program, into: &out)
  }

  /// Puts inline partials in scope, defined in the running template.
  private func define(_ definitions: [InlinePartialDefinition], outerDepths: [Value]) {
    for definition in definitions {
      inlineScope[definition.name] = InlinePartial(
        program: definition.program, unit: unit, depths: outerDepths)
    }
  }

  // MARK: - Budgets

  /// The error for a budget that ran out at the current site.
  func limitError(_ exceeded: RenderBudget.Exceeded) -> TemplateError {
    TemplateError(limit: exceeded.limit, limits: budget.limits, offset: site)
  }

  /// Counts one node evaluation or block iteration.
  func step() throws(TemplateError) {
    do { try budget.step() } catch { throw limitError(error) }
  }

  /// Appends `text` to `out`, counting it against the output budget first.
  func emit(_ text: String, into out: inout String) throws(TemplateError) {
    do { try budget.produce(text.utf8.count) } catch { throw limitError(error) }
    out += text
  }

  /// Hands a finished nested buffer over: whoever appends it counts its bytes again.
  func release(_ buffer: String) -> Value {
    budget.release(buffer.utf8.count)
    return .string(buffer)
  }

  /// Renders a program's statements. handlebars.js compiles adjacent outputs into one
  /// JavaScript `a + b + …` expression, so two adjacent numbers or booleans are *added*
  /// (`{{@index}}{{@first}}` renders `1` for the first item). This reproduces it: outputs of a
  /// run are folded with JavaScript's `+`, a run being broken by a `{{#name}}` section (which
  /// handlebars.js appends with `buffer +=`); the last run after such a section is
  /// concatenated (`return buffer + a + b`).
  ///
  /// Returns the program's value instead of appending it when handlebars.js' program function
  /// would return a number or boolean (`{{#if x}}{{n}}{{/if}}` returns `n` itself, which then
  /// adds to a following number).
  func renderNodes(_ program: Program, into out: inout String) throws(TemplateError) -> Value? {
    var pending: Value?
    var sum: Double?
    // Once a run has produced a string, JavaScript's `+` only concatenates.
    var concatenating = false
    func flush(_ out: inout String) throws(TemplateError) {
      if let sum {
        try emit(JavaScript.numberString(sum), into: &out)
      } else if let pending {
        try append(pending, to: &out)
      }
      pending = nil
      sum = nil
    }
    // `breakers` is sorted: walking it alongside keeps this loop linear in the nodes.
    var nextBreaker = 0
    for (index, node) in program.nodes.enumerated() {
      if let offset = node.offset { site = offset }
      try step()
      if case .text(let text) = node {
        try flush(&out)
        try emit(text, into: &out)
        concatenating = true
        continue
      }
      if case .partial(let partial) = node {
        // Always text, so it ends a run as text does; rendered into `out`, not a copy.
        try flush(&out)
        try renderPartial(partial, into: &out)
        concatenating = true
        continue
      }
      let value = try evaluate(node)
      if nextBreaker < program.breakers.count && program.breakers[nextBreaker] == index {
        nextBreaker += 1
        try flush(&out)
        try append(value, to: &out)
        concatenating = false
        continue
      }
      if concatenating || index > (program.breakers.last ?? Int.max) {
        try append(value, to: &out)
        continue
      }
      switch value.json {
      case .number?, .bool?:
        if let current = sum {
          sum = current + JavaScript.toNumber(value.json)
        } else if let first = pending {
          sum = JavaScript.toNumber(first.json) + JavaScript.toNumber(value.json)
          pending = nil
        } else {
          pending = value
        }
      default:
        try flush(&out)
        try append(value, to: &out)
        concatenating = true
      }
    }
    if program.breakers.isEmpty && !concatenating {
      if let sum { return .number(sum) }
      if let pending { return pending }
    }
    try flush(&out)
    return nil
  }

  /// The value a statement appends.
  func evaluate(_ node: Node) throws(TemplateError) -> Value {
    switch node {
    case .text(let text):
      return .string(text)
    case .mustache(let invocation):
      return try evaluate(invocation, blocks: .none)
    case .block(let block):
      let blocks = Blocks(isBlock: true, fn: block.program, inverse: block.inverse)
      return try evaluateBlock(block.invocation, blocks: blocks)
    case .partial(let partial):
      var out = ""
      try renderPartial(partial, into: &out)
      return release(out)
    }
  }

  /// handlebars.js `wrapProgram`: runs a block's program with a context, data and block params.
  func run(
    _ program: Program?, context newContext: Value, data newData: DataFrame? = nil,
    blockParams: [Value]? = nil, into out: inout String
  ) throws(TemplateError) {
    guard let program else { return }
    if let raw = try scoped(
      program, context: newContext, data: newData, blockParams: blockParams, into: &out)
    {
      try append(raw, to: &out)
    }
  }

  /// `run` for helpers that return the program's value as it is (`if`, `with`, sections).
  func runValue(
    _ program: Program?, context newContext: Value, data newData: DataFrame? = nil,
    blockParams: [Value]? = nil
  ) throws(TemplateError) -> Value {
    guard let program else { return .string("") }
    var out = ""
    let raw = try scoped(
      program, context: newContext, data: newData, blockParams: blockParams, into: &out)
    return raw ?? release(out)
  }

  private func scoped(
    _ program: Program, context newContext: Value, data newData: DataFrame?,
    blockParams: [Value]?, into out: inout String
  ) throws(TemplateError) -> Value? {
    if program.inlinePartials.isEmpty {
      return try enter(
        program, context: newContext, data: newData, blockParams: blockParams, into: &out)
    }
    return try enterDefiningInlinePartials(
      program, context: newContext, data: newData, blockParams: blockParams, into: &out)
  }

  /// `scoped` for a program with `{{#*inline}}` blocks, kept out of the path of every other
  /// block: its inline partials keep the contexts around it, without its own.
  @inline(never)
  private func enterDefiningInlinePartials(
    _ program: Program, context newContext: Value, data newData: DataFrame?,
    blockParams: [Value]?, into out: inout String
  ) throws(TemplateError) -> Value? {
    let enclosing = inlineScope
    defer { inlineScope = enclosing }
    define(program.inlinePartials, outerDepths: depths)
    return try enter(
      program, context: newContext, data: newData, blockParams: blockParams, into: &out)
  }

  @inline(__always)
  private func enter(
    _ program: Program, context newContext: Value, data newData: DataFrame?,
    blockParams: [Value]?, into out: inout String
  ) throws(TemplateError) -> Value? {
    let top = depths[depths.count - 1]
    let push =
      !JavaScript.looselyEqual(newContext, top)
      && !(newContext.id == Value.nullContext.id && top.json == .null)
    if push { depths.append(newContext) }
    let savedContext = context
    let savedData = data
    context = newContext
    if let newData { data = newData }
    let declares = !program.blockParams.isEmpty
    if declares { blockParamFrames.append(blockParams ?? []) }
    nestingDepth += 1
    defer {
      nestingDepth -= 1
      if push { depths.removeLast() }
      if declares { blockParamFrames.removeLast() }
      context = savedContext
      data = savedData
    }
    return try renderNodes(program, into: &out)
  }

  /// handlebars.js `wrapProgram`: a program's context joins the `../` contexts unless it is
  /// the innermost one already.
  /// Never leaves `depths` empty (the innermost context is read at every block): with no
  /// context at all, `[undefined]` stands for `[]`, which `../` and `scoped` read alike.
  static func push(_ newContext: Value, onto depths: inout [Value]) {
    let top = depths.last ?? .undefined
    if !JavaScript.looselyEqual(newContext, top)
      && !(newContext.id == Value.nullContext.id && top.json == .null)
    {
      depths.append(newContext)
    } else if depths.isEmpty {
      depths.append(.undefined)
    }
  }

  @inline(__always)
  func append(_ value: Value, to out: inout String) throws(TemplateError) {
    switch value.json {
    case nil, .null?: return
    case .string(let s)?: try emit(s, into: &out)
    default: try appendOther(value, to: &out)
    }
  }

  /// `append` for numbers, booleans, containers and `@partial-block`, out of line: `append` is
  /// inlined into every output path, which must stay small.
  @inline(never)
  private func appendOther(_ value: Value, to out: inout String) throws(TemplateError) {
    if value.id & 3 == 1, let call = partialBlockCall(value) {
      try emit(try callFunction(call), into: &out)
    } else {
      try emit(JavaScript.string(value.json), into: &out)
    }
  }

  /// The `this` handlebars.js gives helpers: the context, or an empty object when it is null.
  var helperThis: Value { context.isNullish ? .nullContext : context }

  func evaluate(_ invocation: Invocation, blocks: Blocks) throws(TemplateError) -> Value {
    switch invocation {
    case .simple(let path):
      return lookup(path)
    case .ambiguous(let path, let helper):
      if let helper {
        return try call(
          helper, args: [], hash: [], blocks: blocks, name: path.original,
          offset: path.offset)
      }
      let value = lookup(path)
      return value.isNullish ? .undefined : value
    case .helper(let helperCall):
      return try invoke(helperCall, blocks: blocks)
    }
  }

  func evaluateBlock(_ invocation: Invocation, blocks: Blocks) throws(TemplateError) -> Value {
    switch invocation {
    case .helper(let helperCall):
      return try invoke(helperCall, blocks: blocks)
    case .simple(let path):
      return try blockHelperMissing(lookup(path), blocks: blocks)
    case .ambiguous(let path, let helper):
      if let helper {
        return try call(
          helper, args: [], hash: [], blocks: blocks, name: path.original, offset: path.offset)
      }
      let value = lookup(path)
      return try blockHelperMissing(value.isNullish ? .undefined : value, blocks: blocks)
    }
  }

  /// handlebars.js `invokeHelper`: the helper, else an error unless handlebars.js' `helperMissing`
  /// would quietly return undefined (no positional arguments).
  func invoke(_ helperCall: HelperCall, blocks: Blocks) throws(TemplateError) -> Value {
    var args: [Value] = []
    args.reserveCapacity(helperCall.params.count)
    for param in helperCall.params { args.append(try evaluate(param)) }
    var hash: [(key: String, value: Value)] = []
    for pair in helperCall.hash { hash.append((pair.key, try evaluate(pair.value))) }
    if helperCall.isHandlebarsHook {
      throw TemplateError(
        kind: .render,
        message:
          "\(helperCall.name) is handlebars.js' internal hook, not a helper templates can call",
        offset: helperCall.offset)
    }
    if let helper = helperCall.helper {
      return try call(
        helper, args: args, hash: hash, blocks: blocks, name: helperCall.name,
        offset: helperCall.offset)
    }
    if lookup(helperCall.path, falsy: true).isTruthy {
      throw TemplateError(
        kind: .render, message: "\(helperCall.name) is not a function", offset: helperCall.offset)
    }
    if args.isEmpty { return .undefined }
    throw TemplateError(
      kind: .render, message: "Missing helper: \"\(helperCall.name)\"", offset: helperCall.offset)
  }

  func evaluate(_ argument: Argument) throws(TemplateError) -> Value {
    switch argument {
    case .path(let path): return lookup(path)
    case .literal(let value): return Value(value)
    case .call(let helperCall): return try invoke(helperCall, blocks: .none)
    }
  }

  /// handlebars.js `resolvePath`: `a != null ? a.b : a` (or `a && a.b` when `falsy`).
  func lookup(_ path: PathRef, falsy: Bool = false) -> Value {
    var current: Value
    var parts = path.parts[...]
    var falsyMode = falsy
    switch path.base {
    case .context(let depth):
      if depth == 0 {
        current = context
      } else {
        current = depth < depths.count ? depths[depths.count - 1 - depth] : .undefined
      }
    case .blockParam(let frame, let index):
      if frame < blockParamFrames.count {
        let values = blockParamFrames[blockParamFrames.count - 1 - frame]
        current = index < values.count ? values[index] : .undefined
      } else {
        current = .undefined
      }
    case .data(let depth):
      var frame: DataFrame? = data
      for _ in 0..<depth { frame = frame?.parent }
      guard let frame, let first = parts.first else { return .undefined }
      current = frame.field(first)
      parts = parts.dropFirst()
      falsyMode = true
    }
    for part in parts {
      if falsyMode {
        if !current.isTruthy { return current }
      } else if current.isNullish {
        return current
      }
      current = JavaScript.property(current, part)
    }
    return current
  }

  /// handlebars.js `blockHelperMissing`: how `{{#value}}…{{/value}}` renders a plain value.
  func blockHelperMissing(_ value: Value, blocks: Blocks) throws(TemplateError) -> Value {
    let this = context
    switch value.json {
    case .bool(true)?:
      return try runValue(blocks.fn, context: this)
    case .bool(false)?, nil, .null?:
      return try runValue(blocks.inverse, context: this)
    case .array(let items)?:
      if items.isEmpty { return try runValue(blocks.inverse, context: this) }
      return try each(value, blocks: blocks, this: .undefined)
    default:
      return try runValue(blocks.fn, context: value)
    }
  }
}
