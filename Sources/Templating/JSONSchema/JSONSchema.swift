/// A JSON Schema (2020-12 subset) compiled for validation, defaults and navigation.
///
/// Supported keywords: `type`, `properties`, `required`, `additionalProperties`, `items`, `enum`,
/// `const`, `minLength`, `maxLength`, `pattern`, `minimum`, `maximum`, `exclusiveMinimum`,
/// `exclusiveMaximum`, `minItems`, `maxItems`, `uniqueItems`, `allOf`, `anyOf`, `oneOf`, `not`,
/// `$defs` with local `$ref` (JSON Pointer fragments, recursion allowed), and the annotations
/// `default`, `title`, `description`, `examples`, `$comment`, `$schema` (2020-12 only).
/// Anything else is refused, so a template author never relies on a keyword that is ignored.
///
/// A value of this type is either a whole schema or, from the navigation API, a view of some of
/// its subschemas; views share the compiled schema.
public struct JSONSchema: Sendable {
  /// The compiled schema document.
  let nodes: [SchemaNode]
  /// The subschemas this value stands for, all applying to the same instance (usually one).
  let entries: [Int]

  /// Compiles `json` as a schema.
  ///
  /// Throws when the schema uses an unsupported keyword, a `$schema` other than 2020-12, a
  /// `$ref` that is not a local JSON Pointer or points to nothing, a keyword argument of the
  /// wrong type, an invalid or unsupported `pattern`, a `$ref` cycle that would never end, or
  /// goes past a bound that keeps validation safe with a hostile schema: subschemas nested over
  /// 128 deep, `$ref`/`allOf`/`anyOf`/`oneOf`/`not` chaining over 128 subschemas on one value
  /// or applying over 10,000 to it.
  public init(_ json: JSONValue) throws(SchemaError) {
    nodes = try SchemaCompiler.compile(json)
    entries = [0]
  }

  /// Parses and compiles a schema; a JSON syntax error becomes a ``SchemaError`` at the root.
  public init(parsing text: String) throws(SchemaError) {
    let json: JSONValue
    do {
      json = try JSONValue(parsing: text)
    } catch {
      throw SchemaError(pointer: "", message: "invalid JSON: \(error.description)")
    }
    try self.init(json)
  }

  init(nodes: [SchemaNode], entries: [Int]) {
    self.nodes = nodes
    self.entries = entries
  }

  /// Every violation of this schema by `instance`, each with the JSON Pointer of the offending
  /// value in `instance`; empty when the instance is valid. Identical violations are reported
  /// once. An instance that nests more than 400 levels deep (counting the subschemas applied
  /// in place), needs more than 2,000,000 units of work or more than a second (see
  /// `EvaluationBudget`) gets one violation at the root saying it cannot be checked.
  public func validate(_ instance: JSONValue) -> [SchemaViolation] {
    validate(instance, budget: EvaluationBudget())
  }

  /// `validate(_:)` within `budget`.
  func validate(_ instance: JSONValue, budget: EvaluationBudget) -> [SchemaViolation] {
    let validator = SchemaValidator(nodes: nodes, budget: budget)
    var sink = ViolationSink(collecting: true)
    for entry in entries {
      _ = validator.evaluate(entry, instance, pointer: "", into: &sink)
    }
    // Past its budget the walk stopped half-way: what it found says nothing reliable.
    if let reason = validator.budget.exceeded {
      return [SchemaViolation(pointer: "", reason: reason)]
    }
    return sink.violations
  }

  /// Whether `instance` is valid (faster than checking ``validate(_:)`` for emptiness).
  public func isValid(_ instance: JSONValue) -> Bool {
    let validator = SchemaValidator(nodes: nodes)
    return entries.allSatisfy { validator.isValid($0, instance) }
      && validator.budget.exceeded == nil
  }

  /// What generation does with the caller's variables: defaults applied, then validated.
  public func applyingDefaultsAndValidating(_ instance: JSONValue) -> (
    value: JSONValue, violations: [SchemaViolation]
  ) {
    let value = applyingDefaults(to: instance)
    return (value, validate(value))
  }

  /// JSON Pointer of this schema inside the schema document (`""` for the root; for a view of
  /// several subschemas, the first one's).
  public var location: String { nodes[entries[0]].location }
}

extension JSONSchema: CustomStringConvertible {
  /// `JSONSchema(at: /pointer)`: which part of the schema document this value stands for.
  public var description: String {
    let locations = entries.map { nodes[$0].location.isEmpty ? "#" : nodes[$0].location }
    return "JSONSchema(at: \(locations.joined(separator: ", ")))"
  }
}
