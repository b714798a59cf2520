/// Hard budgets for compiling, rendering and linting one template (security: templates and
/// variables come from users).
///
/// The engine enforces them itself, as the work happens, so a hostile template fails with a
/// `TemplateError` of kind `.limitExceeded` instead of exhausting the CPU, memory or stack.
public struct RenderLimits: Sendable, Hashable {
  /// Block-helper iterations plus node evaluations across the whole render (`each`, `with`,
  /// `if` bodies, partial bodies…); for the linter, nodes walked.
  public var maxIterations: Int
  /// UTF-8 bytes of output, checked as output grows, nested buffers (block bodies, partials)
  /// included.
  public var maxOutputBytes: Int
  /// Nesting depth of blocks, inverse sections, `{{else if}}` chains and sub-expressions, checked
  /// by the parser, and again where a partial is included (its depth adds to the depth around
  /// the inclusion): rendering and linting recurse this deep. Each level costs the renderer
  /// about 1 KiB of stack in a debug build, so keep it in the hundreds.
  public var maxNesting: Int
  /// Partial inclusions in one render or lint (a partial included twice counts twice).
  public var maxPartialExpansions: Int
  /// Wall time of one render or lint.
  public var maxDuration: Duration

  /// Budgets with the defaults, generous for any real prompt template.
  public init(
    maxIterations: Int = 1_000_000, maxOutputBytes: Int = 4 * 1024 * 1024, maxNesting: Int = 100,
    maxPartialExpansions: Int = 1_000, maxDuration: Duration = .seconds(2)
  ) {
    self.maxIterations = maxIterations
    self.maxOutputBytes = maxOutputBytes
    self.maxNesting = maxNesting
    self.maxPartialExpansions = maxPartialExpansions
    self.maxDuration = maxDuration
  }

  /// The defaults: 1,000,000 iterations, 4 MiB of output, 100 levels of nesting, 1,000 partial
  /// inclusions, 2 seconds.
  public static let `default` = RenderLimits()

  /// The budget of `limit`, in words, with the environment variable the server reads it from.
  func message(for limit: RenderLimit) -> String {
    switch limit {
    case .iterations:
      return "the template takes more than \(Self.count(maxIterations, "step")) (block "
        + "iterations and evaluations) (\(limit.variable))"
    case .outputBytes:
      return "the template renders more than \(Self.count(maxOutputBytes, "byte")) "
        + "(\(limit.variable))"
    case .nesting:
      return "blocks, else-if chains and sub-expressions nest more than "
        + "\(Self.count(maxNesting, "level")) deep, partials included (\(limit.variable))"
    case .partialExpansions:
      return "the template includes partials more than \(Self.count(maxPartialExpansions, "time")) "
        + "(\(limit.variable))"
    case .time:
      return "the template takes longer than \(Self.milliseconds(maxDuration)) ms "
        + "(\(limit.variable))"
    }
  }

  /// `1 step`, `2 steps`.
  private static func count(_ value: Int, _ noun: String) -> String {
    "\(value) \(noun)\(value == 1 ? "" : "s")"
  }

  /// Whole milliseconds of `duration` (negative durations count as 0).
  static func milliseconds(_ duration: Duration) -> Int64 {
    let (seconds, attoseconds) = duration.components
    guard seconds >= 0 else { return 0 }
    let (product, overflow) = seconds.multipliedReportingOverflow(by: 1000)
    return overflow ? Int64.max : product + attoseconds / 1_000_000_000_000_000
  }
}
