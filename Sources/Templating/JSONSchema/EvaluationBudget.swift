/// Bounds one validation (or one defaults pass) of an instance against a schema.
///
/// Schemas and instances both come from users. Compilation bounds what a schema applies to one
/// value, but a schema can still branch at every level of a deep instance (an `allOf` of two
/// subschemas that each `$ref` back to the root doubles the work per level), repeat costly
/// checks of one long value, and make the evaluation recurse as deep as the instance. Past any
/// budget the instance is reported as not checkable rather than valid.
final class EvaluationBudget {
  /// Nested evaluations (instance depth plus in-place subschemas) allowed: each costs about
  /// half a KiB of stack in a debug build.
  static let maxDepth = 400
  /// Units of work allowed: one per subschema evaluated, plus one per `required` name,
  /// declared property, object member or array item it looks at, and per 16 bytes of a string
  /// it measures or matches. A legitimate instance of 1 MB needs far fewer.
  static let maxSteps = 2_000_000
  /// Wall time allowed, for work the units count poorly (hashing or comparing large values).
  static let maxDuration = Duration.seconds(1)
  /// The clock is read once per this many evaluations.
  private static let clockInterval = 64

  let maxSteps: Int
  let maxDepth: Int
  let maxDuration: Duration
  private let deadline: ContinuousClock.Instant
  private(set) var steps = 0
  private(set) var depth = 0
  private var evaluations = 0
  /// Why the evaluation stopped, once it has.
  private(set) var exceeded: String?

  /// A budget with the given limits (smaller ones in tests).
  init(
    maxSteps: Int = EvaluationBudget.maxSteps, maxDepth: Int = EvaluationBudget.maxDepth,
    maxDuration: Duration = EvaluationBudget.maxDuration
  ) {
    self.maxSteps = maxSteps
    self.maxDepth = maxDepth
    self.maxDuration = maxDuration
    deadline = ContinuousClock.now.advanced(by: maxDuration)
  }

  /// Enters one evaluation costing `cost` units; false (for good) once a budget is spent.
  func enter(cost: Int) -> Bool {
    depth += 1
    guard exceeded == nil else { return false }
    steps += cost
    evaluations += 1
    if depth > maxDepth {
      exceeded = ViolationReason.tooDeep(maxDepth)
    } else if steps > maxSteps {
      exceeded = ViolationReason.tooComplex(maxSteps)
    } else if evaluations % Self.clockInterval == 0 && ContinuousClock.now >= deadline {
      exceeded = ViolationReason.tooSlow(RenderLimits.milliseconds(maxDuration))
    }
    return exceeded == nil
  }

  /// Leaves the evaluation `enter` began (whatever it returned).
  func leave() {
    depth -= 1
  }
}
