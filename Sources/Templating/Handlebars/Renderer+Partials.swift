extension Renderer {
  /// What a partial statement renders.
  private enum PartialTarget {
    case template(CompiledTemplate)
    case inline(InlinePartial)
    case block(PartialBlockCall)
  }

  /// handlebars.js `invokePartial`, with Promptsmith's depth limit, cycle check and budgets.
  func renderPartial(_ partial: Partial, into out: inout String) throws(TemplateError) {
    site = partial.offset
    // Counted before the context is built: a hash context copies the caller's context, which
    // can be long (a string becomes one member per UTF-16 unit).
    do { try budget.expandPartial() } catch { throw limitError(error) }
    let name: String
    switch partial.name {
    case .fixed(let fixed): name = fixed
    case .dynamic(let argument): name = JavaScript.string(try evaluate(argument).json)
    case .partialBlock: name = "@partial-block"
    }
    let partialContext = try self.partialContext(partial)
    // Resolved before the block's own frame exists (handlebars.js `resolvePartial`), so a
    // partial block's `{{#> @partial-block}}` finds the enclosing block.
    var target = try resolve(partial, named: name)
    var frame = data
    var scope = inlineScope
    if let block = partial.block {
      let call = PartialBlockCall(
        index: partialBlockCalls.count, program: block, unit: unit, depths: depths,
        blockParamFrames: blockParamFrames,
        scope: inlineScope, outer: data.partialBlock)
      partialBlockCalls.append(call)
      frame = DataFrame(copying: data)
      frame.partialBlock = call
      // The block's own inline partials are passed to the partial (handlebars.js `fn.partials`).
      for definition in block.inlinePartials {
        scope[definition.name] = InlinePartial(
          program: definition.program, unit: unit, depths: depths)
      }
      if target == nil { target = .block(call) }
    }
    guard let target else {
      throw TemplateError(
        kind: .missingPartial, message: "The partial \(name) could not be found",
        offset: partial.offset)
    }
    try checkDepth(entering: name, at: partial.offset)
    let nesting: Int
    switch target {
    case .template(let compiled): nesting = compiled.nesting
    case .inline(let inline): nesting = inline.unit.nesting
    case .block(let call): nesting = call.unit.nesting
    }
    // The partial's blocks nest inside the blocks around this inclusion, and the renderer
    // recurses through both: ten partials each nesting 100 deep would overflow the stack.
    if nestingDepth + nesting > budget.limits.maxNesting {
      throw TemplateError(limit: .nesting, limits: budget.limits, offset: partial.offset)
    }
    let saved = (depths, blockParamFrames, context, data, inlineScope, unit)
    partialStack.append(name)
    defer {
      (depths, blockParamFrames, context, data, inlineScope, unit) = saved
      partialStack.removeLast()
      site = partial.offset
    }
    site = 0
    context = partialContext
    inlineScope = scope
    data = frame
    guard !partial.indent.isEmpty else {
      // Straight into the caller's buffer: a layout's output is not copied once per level.
      try render(target, named: name, context: partialContext, into: &out)
      return
    }
    var result = ""
    try render(target, named: name, context: partialContext, into: &result)
    // The partial's buffer is handed over; indentation makes it longer, so count it anew.
    site = partial.offset
    budget.release(result.utf8.count)
    try emit(try indented(result, by: partial.indent), into: &out)
  }

  private func render(
    _ target: PartialTarget, named name: String, context partialContext: Value,
    into out: inout String
  ) throws(TemplateError) {
    switch target {
    case .template(let compiled):
      depths = [partialContext]
      blockParamFrames = []
      unit = SourceUnit(source: compiled.source, partialName: name, nesting: compiled.nesting)
      try located(in: unit) { () throws(TemplateError) in
        try renderRoot(compiled.program, into: &out)
      }
    case .inline(let inline):
      try renderInline(inline, context: partialContext, into: &out)
    case .block(let call):
      try renderBlock(call, context: partialContext, into: &out)
    }
  }

  /// The context a partial renders with: its argument or the current context, extended by its
  /// hash.
  private func partialContext(_ partial: Partial) throws(TemplateError) -> Value {
    var partialContext = context
    if let argument = partial.context { partialContext = try evaluate(argument) }
    guard let hash = partial.hash else { return partialContext }
    var evaluated: [(String, Value)] = []
    for pair in hash { evaluated.append((pair.key, try evaluate(pair.value))) }
    var pairs = Self.ownProperties(of: partialContext)
    do { try budget.spend(pairs.count >> 4) } catch { throw limitError(error) }
    // handlebars.js assigns hash values in reverse order; the first of two equal keys wins.
    for (key, value) in evaluated.reversed() {
      guard let json = value.json else { continue }
      if let index = pairs.firstIndex(where: { $0.0 == key }) {
        pairs[index].1 = json
      } else {
        pairs.append((key, json))
      }
    }
    return Value(json: .orderedObject(pairs), id: freshIdentity())
  }

  /// handlebars.js `resolvePartial`: `@partial-block` from the data frame, else an inline
  /// partial, else the resolver's.
  private func resolve(_ partial: Partial, named name: String) throws(TemplateError)
    -> PartialTarget?
  {
    if case .partialBlock = partial.name { return data.partialBlock.map { .block($0) } }
    if let inline = inlineScope[name] { return .inline(inline) }
    do {
      return try partials.partial(named: name, limits: budget.limits).map { .template($0) }
    } catch {
      var located = error
      if located.partial == nil { located.partial = name }
      throw located
    }
  }

  private func checkDepth(entering name: String, at offset: Int) throws(TemplateError) {
    guard partialStack.count >= Template.maxPartialDepth else { return }
    if let start = partialStack.lastIndex(of: name) {
      let chain = (partialStack[start...] + [name]).joined(separator: " → ")
      throw TemplateError(
        kind: .circularPartial,
        message: "Circular partial: \(chain) (deeper than \(Template.maxPartialDepth) levels)",
        offset: offset)
    }
    throw TemplateError(
      kind: .partialDepth,
      message: "Partials nest deeper than \(Template.maxPartialDepth) levels at \(name)",
      offset: offset)
  }

  /// Runs `body`, pointing its errors into `unit`'s template.
  func located(in unit: SourceUnit, _ body: () throws(TemplateError) -> Void) throws(TemplateError)
  {
    do {
      try body()
    } catch {
      throw error.located(in: unit.source, partial: unit.partialName)
    }
  }

  /// An inline partial's program, with the `../` contexts of its definition.
  private func renderInline(_ inline: InlinePartial, context: Value, into out: inout String)
    throws(TemplateError)
  {
    depths = inline.depths
    Self.push(context, onto: &depths)
    blockParamFrames = []
    unit = inline.unit
    try located(in: unit) { () throws(TemplateError) in
      if let raw = try renderBody(inline.program, outerDepths: inline.depths, into: &out) {
        try append(raw, to: &out)
      }
    }
  }

  /// handlebars.js `partialBlockWrapper`: the block renders as part of the template that
  /// wrote it, with the `@partial-block` that template had.
  func renderBlock(_ call: PartialBlockCall, context: Value, into out: inout String)
    throws(TemplateError)
  {
    let frame = DataFrame(copying: data)
    frame.partialBlock = call.outer
    data = frame
    depths = call.depths
    Self.push(context, onto: &depths)
    blockParamFrames = call.blockParamFrames
    inlineScope = call.scope
    unit = call.unit
    nestingDepth += 1
    defer { nestingDepth -= 1 }
    try located(in: unit) { () throws(TemplateError) in
      if let raw = try renderBody(call.program, outerDepths: call.depths, into: &out) {
        try append(raw, to: &out)
      }
    }
  }

  /// `@partial-block` called as a function, as handlebars.js' `if`, `unless`, `with`, `each`
  /// and mustaches call it: with no context and an empty data frame.
  func callFunction(_ call: PartialBlockCall) throws(TemplateError) -> String {
    do { try budget.expandPartial() } catch { throw limitError(error) }
    try checkDepth(entering: "@partial-block", at: site)
    if nestingDepth + call.unit.nesting > budget.limits.maxNesting {
      throw TemplateError(limit: .nesting, limits: budget.limits, offset: site)
    }
    let saved = (depths, blockParamFrames, context, data, inlineScope, unit, site)
    partialStack.append("@partial-block")
    defer {
      (depths, blockParamFrames, context, data, inlineScope, unit, site) = saved
      partialStack.removeLast()
    }
    context = .undefined
    data = DataFrame(root: .undefined)
    var result = ""
    try renderBlock(call, context: .undefined, into: &result)
    budget.release(result.utf8.count)
    return result
  }

  /// The partial block a `@partial-block` value stands for.
  func partialBlockCall(_ value: Value) -> PartialBlockCall? {
    guard let index = value.functionIndex, index < partialBlockCalls.count else { return nil }
    return partialBlockCalls[index]
  }

  /// A value as handlebars.js' `if`, `unless`, `with` and `each` take it: a function is called.
  @inline(__always)
  func calledIfFunction(_ value: Value) throws(TemplateError) -> Value {
    guard value.id & 3 == 1, let call = partialBlockCall(value) else { return value }
    return .string(try callFunction(call))
  }

  /// Every line of `text` prefixed with `indent`, except an empty last line (handlebars.js'
  /// standalone partial indentation); stops once the result could not fit the output budget,
  /// since a long indent on many short lines multiplies the size.
  private func indented(_ text: String, by indent: String) throws(TemplateError) -> String {
    let room = budget.limits.maxOutputBytes - budget.outputBytes
    var out = ""
    var start = text.startIndex
    while true {
      let end = text[start...].firstIndex(of: "\n") ?? text.endIndex
      let isLast = end == text.endIndex
      if !(isLast && start == end) { out += indent }
      out += text[start..<end]
      if out.utf8.count > room { throw limitError(RenderBudget.Exceeded(limit: .outputBytes)) }
      if isLast { return out }
      out += "\n"
      start = text.index(after: end)
    }
  }

  /// `Utils.extend({}, value)`: the own enumerable properties of a value.
  static func ownProperties(of value: Value) -> [(String, JSONValue)] {
    switch value.json {
    case .object?:
      return JavaScript.orderedEntries(value.json?.objectEntries ?? []).map { ($0.key, $0.value) }
    case .array(let items)?:
      return items.enumerated().map { (String($0.offset), $0.element) }
    case .string(let s)?:
      return s.utf16.enumerated().map { index, unit in
        (String(index), .string(String(decoding: [unit], as: UTF16.self)))
      }
    default:
      return []
    }
  }
}
