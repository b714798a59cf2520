/// Evaluates compiled schema nodes against an instance.
///
/// One walk serves two uses: collecting every violation with its pointer, or answering yes/no
/// as fast as possible (for `anyOf`, `oneOf`, `not`), in which case it stops at the first failure
/// and builds no pointers or messages.
struct SchemaValidator {
  let nodes: [SchemaNode]
  /// Shared by every evaluation of one validation, nested `isValid` checks included.
  let budget: EvaluationBudget

  init(nodes: [SchemaNode], budget: EvaluationBudget = EvaluationBudget()) {
    self.nodes = nodes
    self.budget = budget
  }

  /// Whether `instance` is valid against `node`.
  func isValid(_ node: Int, _ instance: JSONValue) -> Bool {
    var sink = ViolationSink(collecting: false)
    return evaluate(node, instance, pointer: "", into: &sink)
  }

  /// Every violation of `node` by `instance`, pointers relative to `pointer`.
  func violations(_ node: Int, _ instance: JSONValue, pointer: String = "") -> [SchemaViolation] {
    var sink = ViolationSink(collecting: true)
    _ = evaluate(node, instance, pointer: pointer, into: &sink)
    return sink.violations
  }

  /// Evaluates `node`; returns whether the instance is valid. When `sink` is not collecting,
  /// returns at the first failure.
  func evaluate(
    _ index: Int, _ instance: JSONValue, pointer: String, into sink: inout ViolationSink
  )
    -> Bool
  {
    let node = nodes[index]
    var cost = 1 + node.required.count + node.propertyNames.count
    switch instance {
    case .object(let object) where node.additionalProperties != nil: cost += object.count
    case .array(let array) where node.items != nil || node.uniqueItems: cost += array.count
    case .string(let string)
    where node.pattern != nil || node.minLength != nil
      || node.maxLength != nil:
      cost += string.utf8.count >> 4
    default: break
    }
    defer { budget.leave() }
    guard budget.enter(cost: cost) else { return false }
    switch node.kind {
    case .alwaysTrue:
      return true
    case .alwaysFalse:
      _ = sink.report(pointer, ViolationReason.falseSchema, kind: .rule)
      return false
    case .keywords:
      break
    }
    var valid = true
    // Each check reports and either stops (yes/no mode) or carries on collecting.
    func fail(
      _ at: String, _ reason: @autoclosure () -> String, kind: SchemaViolation.Kind = .rule
    ) -> Bool {
      valid = false
      return sink.report(at, reason(), kind: kind)
    }

    if let ref = node.ref, !evaluate(ref, instance, pointer: pointer, into: &sink) {
      valid = false
      if !sink.collecting { return false }
    }
    if let types = node.types, !types.admits(instance) {
      guard fail(pointer, ViolationReason.type(node.typeNames, got: instance), kind: .wrongType)
      else { return false }
    }
    if let values = node.enumValues,
      !(node.enumSet.map { $0.contains(instance) } ?? values.contains(instance))
    {
      guard fail(pointer, ViolationReason.enumeration(values)) else { return false }
    }
    if let constant = node.constValue, constant != instance {
      guard fail(pointer, ViolationReason.constant(constant)) else { return false }
    }

    switch instance {
    case .string(let string):
      if node.minLength != nil || node.maxLength != nil {
        let length = string.unicodeScalars.count
        if let minimum = node.minLength, length < minimum {
          guard fail(pointer, ViolationReason.minLength(minimum)) else { return false }
        }
        if let maximum = node.maxLength, length > maximum {
          guard fail(pointer, ViolationReason.maxLength(maximum)) else { return false }
        }
      }
      if let pattern = node.pattern, !pattern.matches(string) {
        guard fail(pointer, ViolationReason.pattern(pattern.source)) else { return false }
      }
    case .number(let number):
      if let minimum = node.minimum, number < minimum {
        guard fail(pointer, ViolationReason.bound(">=", minimum)) else { return false }
      }
      if let maximum = node.maximum, number > maximum {
        guard fail(pointer, ViolationReason.bound("<=", maximum)) else { return false }
      }
      if let minimum = node.exclusiveMinimum, number <= minimum {
        guard fail(pointer, ViolationReason.bound(">", minimum)) else { return false }
      }
      if let maximum = node.exclusiveMaximum, number >= maximum {
        guard fail(pointer, ViolationReason.bound("<", maximum)) else { return false }
      }
    case .object(let object):
      for name in node.required where !object.contains(name) {
        guard fail(pointer, ViolationReason.missingProperty(name), kind: .missingProperty(name))
        else { return false }
      }
      if !node.properties.isEmpty {
        for name in node.propertyNames {
          guard let value = object[name], let subschema = node.properties[name] else { continue }
          let at = sink.collecting ? JSONPointer.appending(pointer, name) : ""
          if !evaluate(subschema, value, pointer: at, into: &sink) {
            valid = false
            if !sink.collecting { return false }
          }
        }
      }
      if let additional = node.additionalProperties {
        let rejectsAll = nodes[additional].kind == .alwaysFalse
        for (name, value) in object where node.properties[name] == nil {
          if rejectsAll {
            guard
              fail(
                pointer, ViolationReason.unexpectedProperty(name), kind: .unexpectedProperty(name))
            else { return false }
          } else {
            let at = sink.collecting ? JSONPointer.appending(pointer, name) : ""
            if !evaluate(additional, value, pointer: at, into: &sink) {
              valid = false
              if !sink.collecting { return false }
            }
          }
        }
      }
    case .array(let array):
      if let minimum = node.minItems, array.count < minimum {
        guard fail(pointer, ViolationReason.minItems(minimum)) else { return false }
      }
      if let maximum = node.maxItems, array.count > maximum {
        guard fail(pointer, ViolationReason.maxItems(maximum)) else { return false }
      }
      if node.uniqueItems, let (first, second) = Self.firstDuplicate(in: array) {
        guard fail(pointer, ViolationReason.uniqueItems(first, second)) else { return false }
      }
      if let items = node.items, !array.isEmpty {
        if nodes[items].kind == .alwaysFalse {
          guard fail(pointer, ViolationReason.noItemsAllowed(array.count)) else { return false }
        } else {
          for (offset, element) in array.enumerated() {
            let at = sink.collecting ? JSONPointer.appending(pointer, offset) : ""
            if !evaluate(items, element, pointer: at, into: &sink) {
              valid = false
              if !sink.collecting { return false }
            }
          }
        }
      }
    case .null, .bool:
      break
    }

    for subschema in node.allOf where !evaluate(subschema, instance, pointer: pointer, into: &sink)
    {
      valid = false
      if !sink.collecting { return false }
    }
    if !node.anyOf.isEmpty, !node.anyOf.contains(where: { isValid($0, instance) }) {
      let (reason, kind) = anyOfReason(node.anyOf, instance)
      guard fail(pointer, reason, kind: kind) else { return false }
    }
    if !node.oneOf.isEmpty {
      let matching = node.oneOf.indices.filter { isValid(node.oneOf[$0], instance) }
      if matching.count != 1 {
        guard fail(pointer, ViolationReason.oneOf(node.oneOf.count, matching: matching)) else {
          return false
        }
      }
    }
    if let not = node.not, isValid(not, instance) {
      guard fail(pointer, ViolationReason.not) else { return false }
    }
    return valid
  }

  /// For `anyOf` branches that each only constrain the type, `must be a string or null, got
  /// number` says more than "must match one of the schemas".
  private func anyOfReason(_ branches: [Int], _ instance: JSONValue)
    -> (String, SchemaViolation.Kind)
  {
    var typeNames: [String] = []
    for branch in branches {
      let node = nodes[branch]
      guard node.kind == .keywords, let types = node.types, !types.admits(instance),
        violations(branch, instance).count == 1
      else { return (ViolationReason.anyOf(branches.count), .rule) }
      for name in node.typeNames where !typeNames.contains(name) { typeNames.append(name) }
    }
    return (ViolationReason.type(typeNames, got: instance), .wrongType)
  }

  /// Offsets of the first two equal elements, if any (JSON equality: `1 == 1.0`, key order
  /// ignored).
  static func firstDuplicate(in array: [JSONValue]) -> (Int, Int)? {
    guard array.count > 1 else { return nil }
    var seen: [JSONValue: Int] = [:]
    seen.reserveCapacity(array.count)
    for (offset, element) in array.enumerated() {
      if let earlier = seen[element] { return (earlier, offset) }
      seen[element] = offset
    }
    return nil
  }
}

/// Where violations go: a list, or nowhere when only validity matters.
struct ViolationSink {
  let collecting: Bool
  private(set) var violations: [SchemaViolation] = []
  private var seen: Set<SchemaViolation> = []

  init(collecting: Bool) {
    self.collecting = collecting
  }

  /// Records a violation (once); returns whether evaluation should go on.
  mutating func report(
    _ pointer: String, _ reason: @autoclosure () -> String, kind: SchemaViolation.Kind
  ) -> Bool {
    guard collecting else { return false }
    let violation = SchemaViolation(pointer: pointer, reason: reason(), kind: kind)
    if seen.insert(violation).inserted { violations.append(violation) }
    return true
  }
}
