extension Renderer {
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
    }
    var partialContext = context
    if let argument = partial.context { partialContext = try evaluate(argument) }
    if let hash = partial.hash {
      var pairs: [(String, JSONValue)] = []
      var evaluated: [(String, Value)] = []
      for pair in hash { evaluated.append((pair.key, try evaluate(pair.value))) }
      pairs = Self.ownProperties(of: partialContext)
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
      partialContext = Value(json: .orderedObject(pairs), id: freshIdentity())
    }
    if partialStack.count >= Template.maxPartialDepth {
      if let start = partialStack.lastIndex(of: name) {
        let chain = (partialStack[start...] + [name]).joined(separator: " → ")
        throw TemplateError(
          kind: .circularPartial,
          message: "Circular partial: \(chain) (deeper than \(Template.maxPartialDepth) levels)",
          offset: partial.offset)
      }
      throw TemplateError(
        kind: .partialDepth,
        message: "Partials nest deeper than \(Template.maxPartialDepth) levels at \(name)",
        offset: partial.offset)
    }
    let found: CompiledTemplate?
    do {
      found = try partials.partial(named: name, limits: budget.limits)
    } catch {
      var located = error
      if located.partial == nil { located.partial = name }
      throw located
    }
    guard let compiled = found else {
      throw TemplateError(
        kind: .missingPartial, message: "The partial \(name) could not be found",
        offset: partial.offset)
    }
    // The partial's blocks nest inside the blocks around this inclusion, and the renderer
    // recurses through both: ten partials each nesting 100 deep would overflow the stack.
    if nestingDepth + compiled.nesting > budget.limits.maxNesting {
      throw TemplateError(limit: .nesting, limits: budget.limits, offset: partial.offset)
    }
    let savedDepths = depths
    let savedFrames = blockParamFrames
    let savedContext = context
    depths = [partialContext]
    blockParamFrames = []
    context = partialContext
    partialStack.append(name)
    site = 0
    defer {
      depths = savedDepths
      blockParamFrames = savedFrames
      context = savedContext
      partialStack.removeLast()
      site = partial.offset
    }
    var result = ""
    do {
      try renderRoot(compiled.program, into: &result)
    } catch {
      throw error.located(in: compiled.source, partial: name)
    }
    // The partial's buffer is handed over; indentation makes it longer, so count it anew.
    site = partial.offset
    budget.release(result.utf8.count)
    if partial.indent.isEmpty {
      try emit(result, into: &out)
    } else {
      try emit(try indented(result, by: partial.indent), into: &out)
    }
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
