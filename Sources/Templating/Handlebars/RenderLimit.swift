/// Which budget a template hit; the raw value is what the HTTP API reports in the problem's
/// `limit` member.
public enum RenderLimit: String, Sendable, Hashable, CaseIterable, Codable {
  /// `RenderLimits.maxIterations`.
  case iterations
  /// `RenderLimits.maxOutputBytes`.
  case outputBytes = "output-bytes"
  /// `RenderLimits.maxNesting`.
  case nesting
  /// `RenderLimits.maxPartialExpansions`.
  case partialExpansions = "partial-expansions"
  /// `RenderLimits.maxDuration`.
  case time

  /// The environment variable the server configures this budget with (named in messages so
  /// that an operator knows what to raise).
  var variable: String {
    switch self {
    case .iterations: return "RENDER_MAX_ITERATIONS"
    case .outputBytes: return "RENDER_MAX_OUTPUT_BYTES"
    case .nesting: return "RENDER_MAX_NESTING"
    case .partialExpansions: return "RENDER_MAX_PARTIAL_EXPANSIONS"
    case .time: return "RENDER_MAX_MILLISECONDS"
    }
  }
}
