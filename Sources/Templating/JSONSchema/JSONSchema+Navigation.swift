/// Navigation for the template linter: which variables a schema declares, and their schemas.
///
/// Navigation follows `$ref` and `allOf`, and takes the union of `anyOf`/`oneOf` branches
/// (a path is declared if any branch declares it). `not` is ignored.
extension JSONSchema {
  /// The names in `properties`, in schema order, without duplicates.
  public var declaredPropertyNames: [String] {
    var names: [String] = []
    var seen: Set<String> = []
    for index in navigationClosure {
      for name in nodes[index].propertyNames where seen.insert(name).inserted { names.append(name) }
    }
    return names
  }

  /// The schema of the property `name`, or `nil` if no `properties` declares it (see
  /// ``additionalPropertiesSchema`` for undeclared names). When several subschemas declare it,
  /// the result stands for all of them: navigation sees their union, validation applies each.
  public func propertySchema(_ name: String) -> JSONSchema? {
    view(navigationClosure.compactMap { nodes[$0].properties[name] })
  }

  /// The schema of array items, or `nil` if none is declared.
  public var itemsSchema: JSONSchema? {
    view(navigationClosure.compactMap { nodes[$0].items })
  }

  /// The schema of members not named in `properties`, if an `additionalProperties` gives one
  /// (other than `false`).
  public var additionalPropertiesSchema: JSONSchema? {
    view(
      navigationClosure.compactMap { nodes[$0].additionalProperties }
        .filter { nodes[$0].kind != .alwaysFalse })
  }

  /// Whether an object may have members beyond the declared ones: `false` when this schema, its
  /// `$ref` or an `allOf` part says `additionalProperties: false` (or is the `false` schema), or
  /// when every `anyOf`/`oneOf` branch does.
  public var allowsAdditionalProperties: Bool {
    var visited: Set<Int> = []
    return entries.allSatisfy { allowsAdditional($0, visited: &visited) }
  }

  /// The types named by `type` anywhere in the navigation closure, in order, or `nil` if none.
  public var declaredTypes: [String]? {
    var names: [String] = []
    for index in navigationClosure {
      for name in nodes[index].typeNames where !names.contains(name) { names.append(name) }
    }
    return names.isEmpty ? nil : names
  }

  /// The first `default` found while navigating.
  public var defaultValue: JSONValue? {
    for index in navigationClosure {
      if let value = nodes[index].defaultValue { return value }
    }
    return nil
  }

  /// The first `title` found while navigating.
  public var title: String? {
    navigationClosure.lazy.compactMap { nodes[$0].title }.first
  }

  /// The first `description` found while navigating (named so as not to clash with
  /// `CustomStringConvertible`).
  public var descriptionText: String? {
    navigationClosure.lazy.compactMap { nodes[$0].description }.first
  }

  /// Whether this is the schema `true` or `{}`-like: it constrains nothing at all.
  public var isUnconstrained: Bool {
    navigationClosure.allSatisfy { index in
      let node = nodes[index]
      switch node.kind {
      case .alwaysTrue: return true
      case .alwaysFalse: return false
      case .keywords:
        return node.types == nil && node.enumValues == nil && node.constValue == nil
          && node.minLength == nil && node.maxLength == nil && node.pattern == nil
          && node.minimum == nil && node.maximum == nil && node.exclusiveMinimum == nil
          && node.exclusiveMaximum == nil && node.required.isEmpty && node.properties.isEmpty
          && node.additionalProperties == nil && node.items == nil && node.minItems == nil
          && node.maxItems == nil && !node.uniqueItems && node.anyOf.isEmpty
          && node.oneOf.isEmpty && node.not == nil
      }
    }
  }

  // MARK: Helpers

  /// The entries plus everything reached through `$ref`, `allOf`, `anyOf` and `oneOf`, in
  /// breadth-first order, each once.
  var navigationClosure: [Int] {
    nodes.closure(from: entries) { $0.anyOf + $0.oneOf }
  }

  private func view(_ indexes: [Int]) -> JSONSchema? {
    var unique: [Int] = []
    for index in indexes where !unique.contains(index) { unique.append(index) }
    return unique.isEmpty ? nil : JSONSchema(nodes: nodes, entries: unique)
  }

  private func allowsAdditional(_ index: Int, visited: inout Set<Int>) -> Bool {
    guard visited.insert(index).inserted else { return true }
    let node = nodes[index]
    switch node.kind {
    case .alwaysTrue: return true
    case .alwaysFalse: return false
    case .keywords: break
    }
    if let additional = node.additionalProperties, nodes[additional].kind == .alwaysFalse {
      return false
    }
    if let ref = node.ref, !allowsAdditional(ref, visited: &visited) { return false }
    for part in node.allOf where !allowsAdditional(part, visited: &visited) { return false }
    for branches in [node.anyOf, node.oneOf] where !branches.isEmpty {
      if !branches.contains(where: { allowsAdditional($0, visited: &visited) }) { return false }
    }
    return true
  }
}
