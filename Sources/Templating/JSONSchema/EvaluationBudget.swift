/// Bounds one validation (or one defaults pass) of an instance against a schema.
///
/// Schemas and instances both come from users. Compilation bounds what a schema applies to one
/// value, but a schema can still branch at every level of a deep instance (an `allOf` of two
/// subschemas that each `$ref` back to the root doubles the work per level), and the evaluation
/// recurses as deep as the instance. Past either budget the instance is reported as not
/// checkable rather than valid.
final class EvaluationBudget {
  /// Nested evaluations (instance depth plus in-place subschemas) allowed: each costs about
  /// half a KiB of stack in a debug build.
  static let maxDepth = 400
  /// Units of work allowed: one per subschema evaluated, plus one per `required` name,
  /// declared property and object member or array item it looks at.
  static let maxSteps = 10_000_000

  let maxSteps: Int
  let maxDepth: Int
  private(set) var steps = 0
  private(set) var depth = 0
  /// Why the evaluation stopped, once it has.
  private(set) var exceeded: String?

  /// A budget with the given limits (smaller ones in tests).
  init(maxSteps: Int = EvaluationBudget.maxSteps, maxDepth: Int = EvaluationBudget.maxDepth) {
    self.maxSteps = maxSteps
    self.maxDepth = maxDepth
  }

  /// Enters one evaluation costing `cost` units; false (for good) once a budget is spent.
  func enter(cost: Int) -> Bool {
    depth += 1
    guard exceeded == nil else { return false }
    steps += cost
    if depth > maxDepth {
      exceeded = ViolationReason.tooDeep(maxDepth)
    } else if steps > maxSteps {
      exceeded = ViolationReason.tooComplex(maxSteps)
    }
    return exceeded == nil
  }

  /// Leaves the evaluation `enter` began (whatever it returned).
  func leave() {
    depth -= 1
  }
}
