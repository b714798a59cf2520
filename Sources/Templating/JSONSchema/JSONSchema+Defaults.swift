extension JSONSchema {
  /// `instance` with defaults filled in wherever the schema gives one.
  ///
  /// A missing object member whose schema has a `default` gets it; then members (given or
  /// defaulted) and array items are visited with their own schemas, so nested objects get their
  /// defaults too, including a defaulted object's own members. Given values, `null` included,
  /// are never replaced. Defaults are found through `$ref` and `allOf`, through the `anyOf`
  /// branches the value matches, and through the `oneOf` branch when exactly one matches.
  /// When several schemas give a default for the same member, the first found wins (the schema
  /// itself, then its `$ref`, then `allOf` in order). Objects are never invented where the schema
  /// has no `default` for them.
  public func applyingDefaults(to instance: JSONValue) -> JSONValue {
    DefaultsApplier(nodes: nodes).apply(entries, to: instance, depth: 0)
  }
}

/// The walk behind ``JSONSchema/applyingDefaults(to:)``.
struct DefaultsApplier {
  let nodes: [SchemaNode]
  /// One validator, so one budget, for the `anyOf`/`oneOf` checks of the whole walk.
  private let validator: SchemaValidator

  init(nodes: [SchemaNode]) {
    self.nodes = nodes
    self.validator = SchemaValidator(nodes: nodes)
  }

  /// `instance` with defaults; below `EvaluationBudget.maxDepth` levels it is left as it is
  /// (validation then reports it as too deep to check).
  func apply(_ schemas: [Int], to instance: JSONValue, depth: Int) -> JSONValue {
    guard depth < EvaluationBudget.maxDepth else { return instance }
    let applicable = expand(schemas, instance: instance)
    switch instance {
    case .object(var object):
      // Schemas for each member: from `properties`, else from `additionalProperties`.
      var declared: [String] = []
      var memberSchemas: [String: [Int]] = [:]
      for index in applicable {
        for name in nodes[index].propertyNames {
          guard let subschema = nodes[index].properties[name] else { continue }
          if memberSchemas[name] == nil { declared.append(name) }
          memberSchemas[name, default: []].append(subschema)
        }
      }
      for name in declared where !object.contains(name) {
        if let value = defaultValue(memberSchemas[name] ?? []) { object[name] = value }
      }
      for index in applicable {
        guard let additional = nodes[index].additionalProperties,
          nodes[additional].kind == .keywords
        else { continue }
        for name in object.keys where nodes[index].properties[name] == nil {
          memberSchemas[name, default: []].append(additional)
        }
      }
      guard !memberSchemas.isEmpty else { return .object(object) }
      for name in object.keys {
        guard let schemas = memberSchemas[name], let value = object[name] else { continue }
        object[name] = apply(schemas, to: value, depth: depth + 1)
      }
      return .object(object)
    case .array(var array):
      let itemSchemas = applicable.compactMap { nodes[$0].items }
        .filter { nodes[$0].kind == .keywords }
      guard !itemSchemas.isEmpty else { return instance }
      for offset in array.indices {
        array[offset] = apply(itemSchemas, to: array[offset], depth: depth + 1)
      }
      return .array(array)
    default:
      return instance
    }
  }

  /// The first `default` among `schemas` and what they apply in place.
  private func defaultValue(_ schemas: [Int]) -> JSONValue? {
    var visited: Set<Int> = []
    var queue = schemas
    var position = 0
    while position < queue.count {
      let index = queue[position]
      position += 1
      guard visited.insert(index).inserted else { continue }
      let node = nodes[index]
      if let value = node.defaultValue { return value }
      if let ref = node.ref { queue.append(ref) }
      queue += node.allOf
    }
    return nil
  }

  /// `schemas` plus, transitively, the subschemas that apply to the same instance: `$ref`,
  /// `allOf`, the matching `anyOf` branches and the single matching `oneOf` branch.
  private func expand(_ schemas: [Int], instance: JSONValue) -> [Int] {
    nodes.closure(from: schemas) { node in
      let matching = node.oneOf.filter { validator.isValid($0, instance) }
      return node.anyOf.filter { validator.isValid($0, instance) }
        + (matching.count == 1 ? matching : [])
    }
  }

}
