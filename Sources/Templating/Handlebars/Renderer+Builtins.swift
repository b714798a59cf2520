extension Renderer {
  /// Calls a helper with evaluated arguments.
  func call(
    _ helper: Helper, args: [Value], hash: [(key: String, value: Value)], blocks: Blocks,
    name: String, offset: Int
  ) throws(TemplateError) -> Value {
    func fail(_ message: String) -> TemplateError {
      TemplateError(kind: .render, message: message, offset: offset)
    }
    func runFn(
      _ program: Program?, _ context: Value, data: DataFrame? = nil, params: [Value]? = nil
    )
      throws(TemplateError) -> Value
    {
      guard blocks.isBlock else {
        throw fail("\(name) needs a block: write {{#\(name) …}}…{{/\(name)}}")
      }
      return try runValue(program, context: context, data: data, blockParams: params)
    }
    switch helper {
    case .if, .unless:
      guard args.count == 1 else { throw fail("#\(helper.rawValue) requires exactly one argument") }
      let condition = try calledIfFunction(args[0])
      let includeZero = hash.last { $0.key == "includeZero" }?.value.isTruthy ?? false
      let falsy = (!includeZero && !condition.isTruthy) || condition.isEmpty
      let showMain = helper == .if ? !falsy : falsy
      return try runFn(showMain ? blocks.fn : blocks.inverse, helperThis)
    case .with:
      guard args.count == 1 else { throw fail("#with requires exactly one argument") }
      let value = try calledIfFunction(args[0])
      if !value.isEmpty {
        return try runFn(blocks.fn, value, params: [value])
      }
      return try runFn(blocks.inverse, helperThis)
    case .each:
      guard args.count == 1 else {
        throw fail(args.isEmpty ? "Must pass iterator to #each" : "#each takes one argument")
      }
      return try each(
        try calledIfFunction(args[0]), blocks: blocks, this: helperThis, offset: offset)
    case .lookup:
      let object = args.first ?? .undefined
      if object.functionIndex != nil { throw fail(Self.partialBlockMisuse) }
      if !object.isTruthy { return object }
      guard args.count >= 2 else { throw fail("lookup needs an object and a key") }
      return JavaScript.property(object, propertyKey(args[1]))
    case .log:
      return .undefined
    case .and, .or, .not:
      // They only test truthiness, and a function is truthy.
      return try promptHelper(helper, args)
    default:
      if args.contains(where: { $0.functionIndex != nil }) { throw fail(Self.partialBlockMisuse) }
      return try promptHelper(helper, args)
    }
  }

  static let partialBlockMisuse =
    "@partial-block is included with {{> @partial-block}}, or tested with if, unless, and, or, not"

  @inline(__always)
  private func promptHelper(_ helper: Helper, _ args: [Value]) throws(TemplateError) -> Value {
    // Helpers such as `join` and `json` build their result before it is output: they stop
    // once it outgrows the whole output budget.
    let maxBytes = budget.limits.maxOutputBytes
    if helper == .truncateTokens { return try truncateTokens(args) }
    guard let result = PromptHelpers.call(helper, args: args, maxBytes: maxBytes) else {
      throw limitError(RenderBudget.Exceeded(limit: .outputBytes))
    }
    if case .string(let text)? = result.json {
      do { try budget.spend(text.utf8.count >> 12) } catch { throw limitError(error) }
    }
    return result
  }

  /// `{{truncateTokens value N}}`: the value as text, cut to at most N tokens of the render's
  /// encoding with a visible marker of what was cut.
  private func truncateTokens(_ args: [Value]) throws(TemplateError) -> Value {
    guard let tokens else {
      throw TemplateError(
        kind: .render,
        message:
          "truncateTokens needs a model's encoding (the server has one; give --model to render)",
        offset: site)
    }
    let limit = JavaScript.toNumber(args.count > 1 ? args[1].json : nil)
    guard limit.isFinite, limit >= 0 else {
      throw TemplateError(
        kind: .render, message: "truncateTokens needs a token count of 0 or more", offset: site)
    }
    let text = PromptHelpers.text(args.first ?? .undefined)
    // Counting costs about as much as a pass over the text.
    do { try budget.spend(text.utf8.count >> 10) } catch { throw limitError(error) }
    return .string(tokens.truncatedWithMarker(text, toTokens: Int(min(limit, 1e9))))
  }

  func propertyKey(_ value: Value) -> String {
    JavaScript.string(value.json)
  }

  /// handlebars.js' `each` helper.
  func each(_ value: Value, blocks: Blocks, this: Value, offset: Int = 0) throws(TemplateError)
    -> Value
  {
    var out = ""
    var count = 0
    let frame = DataFrame(copying: data)
    func iteration(_ item: Value, key: Value, index: Int, last: Bool) throws(TemplateError) {
      guard blocks.isBlock else {
        throw TemplateError(
          kind: .render, message: "each needs a block: write {{#each …}}…{{/each}}",
          offset: offset)
      }
      try step()
      frame.key = key
      frame.index = .number(Double(index))
      frame.first = .bool(index == 0)
      frame.last = .bool(last)
      try run(blocks.fn, context: item, data: frame, blockParams: [item, key], into: &out)
    }
    switch value.json {
    case .array(let items)?:
      for (i, item) in items.enumerated() {
        try iteration(
          Value.element(item, parent: value.id, index: i), key: .number(Double(i)), index: i,
          last: i == items.count - 1)
      }
      count = items.count
    case .object?:
      let entries = JavaScript.orderedEntries(value.json?.objectEntries ?? [])
      for (i, entry) in entries.enumerated() {
        try iteration(
          Value.member(entry.value, parent: value.id, key: entry.key), key: .string(entry.key),
          index: i, last: i == entries.count - 1)
      }
      count = entries.count
    default:
      break
    }
    if count == 0 {
      guard blocks.isBlock else {
        throw TemplateError(
          kind: .render, message: "each needs a block: write {{#each …}}…{{/each}}",
          offset: offset)
      }
      return try runValue(blocks.inverse, context: this)
    }
    return release(out)
  }
}
