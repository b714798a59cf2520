/// Turns a schema document into a table of ``SchemaNode``s, checking every keyword on the way.
///
/// Subschemas are compiled once per location, so a `$ref` to a location already compiled (or to
/// its own ancestor) reuses that node: this is what makes recursive schemas finite.
struct SchemaCompiler {
  static let dialect = "https://json-schema.org/draft/2020-12/schema"
  /// Subschemas nest at most this deep in the document (compilation recurses once per level).
  static let maxNesting = 128
  /// Chains of `$ref`, `allOf`, `anyOf`, `oneOf` and `not` applied to one value are at most
  /// this long (validation and navigation recurse once per link)…
  static let maxInPlaceChain = 128
  /// …and apply at most this many subschemas to one value, counting every path (a chain of
  /// `anyOf`s whose branches `$ref` the same next link doubles at each link).
  static let maxInPlaceSubschemas = 10_000

  let document: JSONValue
  private(set) var nodes: [SchemaNode] = []
  private var nodeByLocation: [String: Int] = [:]
  private var pendingRefs: [(node: Int, reference: String, location: String)] = []
  private var nesting = 0

  init(document: JSONValue) {
    self.document = document
  }

  /// Compiles the whole document; returns the node table (the root is node 0).
  static func compile(_ document: JSONValue) throws(SchemaError) -> [SchemaNode] {
    var compiler = SchemaCompiler(document: document)
    _ = try compiler.compile(document, at: "")
    try compiler.resolveReferences()
    try compiler.checkInPlaceApplication()
    return compiler.nodes
  }

  // MARK: Subschemas

  /// Compiles the schema `value` found at `location` (a JSON Pointer into the document).
  mutating func compile(_ value: JSONValue, at location: String) throws(SchemaError) -> Int {
    if let existing = nodeByLocation[location] { return existing }
    nesting += 1
    defer { nesting -= 1 }
    if nesting > Self.maxNesting {
      throw SchemaError(
        pointer: location,
        message: "subschemas nest more than \(Self.maxNesting) levels deep, which Promptsmith "
          + "does not support")
    }
    let index = nodes.count
    nodes.append(SchemaNode(location: location))
    nodeByLocation[location] = index
    var node = SchemaNode(location: location)
    switch value {
    case .bool(let bool):
      node.kind = bool ? .alwaysTrue : .alwaysFalse
    case .object(let object):
      for (keyword, argument) in object {
        try compileKeyword(keyword, argument, into: &node, index: index)
      }
    default:
      throw SchemaError(
        pointer: location, message: "a schema must be an object or a boolean, got \(value.typeName)"
      )
    }
    nodes[index] = node
    return index
  }

  private mutating func subschema(_ value: JSONValue, at location: String) throws(SchemaError)
    -> Int
  {
    try compile(value, at: location)
  }

  private mutating func subschemaList(_ value: JSONValue, at location: String, keyword: String)
    throws(SchemaError) -> [Int]
  {
    guard case .array(let elements) = value, !elements.isEmpty else {
      throw SchemaError(
        pointer: location, message: "\(keyword) must be a non-empty array of schemas")
    }
    var result: [Int] = []
    for (offset, element) in elements.enumerated() {
      result.append(try subschema(element, at: JSONPointer.appending(location, offset)))
    }
    return result
  }

  private mutating func subschemaMap(_ value: JSONValue, at location: String, keyword: String)
    throws(SchemaError) -> (names: [String], nodes: [String: Int])
  {
    guard case .object(let members) = value else {
      throw SchemaError(pointer: location, message: "\(keyword) must be an object of schemas")
    }
    var names: [String] = []
    var result: [String: Int] = [:]
    for (name, schema) in members {
      names.append(name)
      result[name] = try subschema(schema, at: JSONPointer.appending(location, name))
    }
    return (names, result)
  }

  // MARK: Keywords

  private mutating func compileKeyword(
    _ keyword: String, _ argument: JSONValue, into node: inout SchemaNode, index: Int
  ) throws(SchemaError) {
    let location = JSONPointer.appending(node.location, keyword)
    func fail(_ message: String) -> SchemaError {
      SchemaError(pointer: location, message: message)
    }
    switch keyword {
    case "$schema":
      guard let uri = argument.stringValue else { throw fail("$schema must be a string") }
      guard uri == Self.dialect || uri == Self.dialect + "#" else {
        throw fail("unsupported $schema \"\(uri)\": only \(Self.dialect) is supported")
      }
    case "$comment", "title", "description":
      guard let text = argument.stringValue else { throw fail("\(keyword) must be a string") }
      if keyword == "title" { node.title = text }
      if keyword == "description" { node.description = text }
    case "examples":
      guard argument.arrayValue != nil else { throw fail("examples must be an array") }
    case "default":
      node.defaultValue = argument
    case "$defs":
      node.defs = try subschemaMap(argument, at: location, keyword: keyword).nodes
    case "$ref":
      guard let reference = argument.stringValue else { throw fail("$ref must be a string") }
      pendingRefs.append((index, reference, location))
    case "type":
      try compileType(argument, into: &node, fail: fail)
    case "properties":
      let (names, properties) = try subschemaMap(argument, at: location, keyword: keyword)
      node.propertyNames = names
      node.properties = properties
    case "required":
      guard case .array(let elements) = argument else {
        throw fail("required must be an array of strings")
      }
      var names: [String] = []
      for element in elements {
        guard let name = element.stringValue else { throw fail("required must hold only strings") }
        guard !names.contains(name) else { throw fail("required lists \"\(name)\" twice") }
        names.append(name)
      }
      node.required = names
    case "additionalProperties":
      node.additionalProperties = try subschema(argument, at: location)
    case "items":
      if argument.arrayValue != nil {
        throw fail("items must be a schema (the array form is prefixItems, which is not supported)")
      }
      node.items = try subschema(argument, at: location)
    case "enum":
      guard let values = argument.arrayValue else { throw fail("enum must be an array") }
      node.enumValues = values
      if values.count > 16 { node.enumSet = Set(values) }
    case "const":
      node.constValue = argument
    case "minLength": node.minLength = try count(argument, fail: fail)
    case "maxLength": node.maxLength = try count(argument, fail: fail)
    case "minItems": node.minItems = try count(argument, fail: fail)
    case "maxItems": node.maxItems = try count(argument, fail: fail)
    case "pattern":
      guard let source = argument.stringValue else { throw fail("pattern must be a string") }
      do {
        node.pattern = try SchemaPattern(source)
      } catch {
        throw fail(error.message)
      }
    case "minimum": node.minimum = try number(argument, fail: fail)
    case "maximum": node.maximum = try number(argument, fail: fail)
    case "exclusiveMinimum": node.exclusiveMinimum = try number(argument, fail: fail)
    case "exclusiveMaximum": node.exclusiveMaximum = try number(argument, fail: fail)
    case "uniqueItems":
      guard let flag = argument.boolValue else { throw fail("uniqueItems must be a boolean") }
      node.uniqueItems = flag
    case "allOf": node.allOf = try subschemaList(argument, at: location, keyword: keyword)
    case "anyOf": node.anyOf = try subschemaList(argument, at: location, keyword: keyword)
    case "oneOf": node.oneOf = try subschemaList(argument, at: location, keyword: keyword)
    case "not": node.not = try subschema(argument, at: location)
    default:
      throw fail("unsupported keyword \"\(keyword)\"")
    }
  }

  private func compileType(
    _ argument: JSONValue, into node: inout SchemaNode, fail: (String) -> SchemaError
  ) throws(SchemaError) {
    let names: [String]
    switch argument {
    case .string(let name):
      names = [name]
    case .array(let elements) where !elements.isEmpty:
      var collected: [String] = []
      for element in elements {
        guard let name = element.stringValue else { throw fail("type must hold only strings") }
        guard !collected.contains(name) else { throw fail("type lists \"\(name)\" twice") }
        collected.append(name)
      }
      names = collected
    default:
      throw fail("type must be a type name or a non-empty array of type names")
    }
    var types: SchemaTypes = []
    for name in names {
      guard let type = SchemaTypes(name: name) else {
        throw fail(
          "unknown type \"\(name)\" (expected null, boolean, integer, number, string, array "
            + "or object)")
      }
      types.insert(type)
    }
    node.types = types
    node.typeNames = names
  }

  private func count(_ argument: JSONValue, fail: (String) -> SchemaError) throws(SchemaError)
    -> Int
  {
    guard argument.isInteger, let value = argument.numberValue, value >= 0 else {
      throw fail("must be a non-negative integer")
    }
    return Int(exactly: value) ?? Int.max
  }

  private func number(_ argument: JSONValue, fail: (String) -> SchemaError) throws(SchemaError)
    -> Double
  {
    guard let value = argument.numberValue else { throw fail("must be a number") }
    return value
  }

  // MARK: References

  /// Points every `$ref` at its node, compiling targets not reached otherwise (for example a
  /// `$ref` into `properties` of another schema).
  private mutating func resolveReferences() throws(SchemaError) {
    while let (node, reference, location) = pendingRefs.popLast() {
      guard reference.hasPrefix("#") else {
        throw SchemaError(
          pointer: location,
          message: "unsupported $ref \"\(reference)\": only local references (#/...) are supported")
      }
      guard let tokens = JSONPointer.tokens(fragment: String(reference.dropFirst())) else {
        throw SchemaError(
          pointer: location,
          message: "unsupported $ref \"\(reference)\": the fragment must be a JSON Pointer "
            + "($anchor is not supported)")
      }
      guard let target = JSONPointer.resolve(tokens, in: document) else {
        throw SchemaError(
          pointer: location, message: "$ref \"\(reference)\" points to nothing in this schema")
      }
      switch target {
      case .bool, .object: break
      default:
        throw SchemaError(
          pointer: location,
          message: "$ref \"\(reference)\" points to a \(target.typeName), not a schema"
        )
      }
      nodes[node].ref = try compile(target, at: JSONPointer.make(tokens))
    }
  }

  /// Refuses schemas that would loop forever: a cycle of `$ref`/`allOf`/`anyOf`/`oneOf`/`not`
  /// that never moves into the instance (e.g. `{"$ref": "#"}`); and schemas whose in-place
  /// subschemas chain too long (a stack overflow) or branch too much (exponential time).
  private func checkInPlaceApplication() throws(SchemaError) {
    enum Mark { case unvisited, inProgress, done }
    var marks = [Mark](repeating: .unvisited, count: nodes.count)
    // Longest chain and number of paths from each node, known once it is done.
    var chain = [Int](repeating: 0, count: nodes.count)
    var paths = [Int](repeating: 0, count: nodes.count)
    // Iterative depth-first search: deep schemas must not overflow the stack here.
    for start in nodes.indices where marks[start] == .unvisited {
      var stack: [(node: Int, next: Int)] = [(start, 0)]
      marks[start] = .inProgress
      while let (node, next) = stack.last {
        let children = nodes[node].inPlaceSubschemas
        if next < children.count {
          stack[stack.count - 1].next += 1
          let child = children[next]
          switch marks[child] {
          case .inProgress:
            throw SchemaError(
              pointer: nodes[node].location,
              message: "circular $ref: this schema applies itself to the same value without "
                + "descending into it (validation would never end)")
          case .unvisited:
            marks[child] = .inProgress
            stack.append((child, 0))
          case .done:
            break
          }
        } else {
          marks[node] = .done
          stack.removeLast()
          try measure(node, chain: &chain, paths: &paths)
        }
      }
    }
  }

  /// Records the longest in-place chain and the number of in-place paths from `node`, whose
  /// in-place subschemas are all measured; throws past the limits.
  private func measure(_ node: Int, chain: inout [Int], paths: inout [Int]) throws(SchemaError) {
    var longest = 0
    // `anyOf` and `oneOf` branches are evaluated twice when they fail (once more for the
    // message), so they count double.
    var count = 1
    let subschema = nodes[node]
    for child in subschema.inPlaceSubschemas {
      longest = max(longest, chain[child])
      count = min(count + paths[child], Self.maxInPlaceSubschemas + 1)
    }
    for child in subschema.anyOf + subschema.oneOf {
      count = min(count + paths[child], Self.maxInPlaceSubschemas + 1)
    }
    chain[node] = longest + 1
    paths[node] = count
    if chain[node] > Self.maxInPlaceChain {
      throw SchemaError(
        pointer: subschema.location,
        message: "$ref, allOf, anyOf, oneOf and not chain more than \(Self.maxInPlaceChain) "
          + "subschemas on one value, which Promptsmith does not support")
    }
    if count > Self.maxInPlaceSubschemas {
      throw SchemaError(
        pointer: subschema.location,
        message: "$ref, allOf, anyOf, oneOf and not apply more than "
          + "\(Self.maxInPlaceSubschemas) subschemas to one value, which Promptsmith does not "
          + "support")
    }
  }
}
