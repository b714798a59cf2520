extension Renderer {
  /// handlebars.js `invokePartial`, with Promptsmith's depth limit and cycle check.
  func renderPartial(_ partial: Partial, into out: inout String) throws(TemplateError) {
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
      found = try partials.partial(named: name)
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
    let savedDepths = depths
    let savedFrames = blockParamFrames
    let savedContext = context
    depths = [partialContext]
    blockParamFrames = []
    context = partialContext
    partialStack.append(name)
    defer {
      depths = savedDepths
      blockParamFrames = savedFrames
      context = savedContext
      partialStack.removeLast()
    }
    var result = ""
    do {
      try renderRoot(compiled.program, into: &result)
    } catch {
      throw error.located(in: compiled.source, partial: name)
    }
    if partial.indent.isEmpty {
      out += result
    } else {
      var lines = result.split(separator: "\n", omittingEmptySubsequences: false)
      for i in lines.indices {
        if lines[i].isEmpty && i + 1 == lines.count { break }
        lines[i] = Substring(partial.indent + lines[i])
      }
      out += lines.joined(separator: "\n")
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
