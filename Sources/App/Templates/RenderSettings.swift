import Foundation
import NIOPosix
import Templating

/// The render and lint budgets: `RENDER_MAX_ITERATIONS`, `RENDER_MAX_OUTPUT_BYTES`,
/// `RENDER_MAX_NESTING`, `RENDER_MAX_PARTIAL_EXPANSIONS` and `RENDER_MAX_MILLISECONDS`.
enum RenderSettings {
  /// Reads the variables (each optional, a positive whole number), appending a message naming
  /// the variable for each problem.
  static func load(environment: [String: String], problems: inout [String]) -> RenderLimits {
    var limits = RenderLimits.default
    func positive(_ name: String, maximum: Int = Int(Int32.max)) -> Int? {
      guard let raw = environment[name], !raw.isEmpty else { return nil }
      guard let value = Int(raw), (1...maximum).contains(value) else {
        problems.append("\(name): must be a whole number from 1 to \(maximum), got \"\(raw)\"")
        return nil
      }
      return value
    }
    if let value = positive("RENDER_MAX_ITERATIONS") { limits.maxIterations = value }
    if let value = positive("RENDER_MAX_OUTPUT_BYTES") { limits.maxOutputBytes = value }
    // Each level costs the renderer about 1 KiB of stack in a debug build, and a render
    // overflowed between 400 and 500 levels on a test thread: the cap keeps a wide margin.
    if let value = positive("RENDER_MAX_NESTING", maximum: 250) { limits.maxNesting = value }
    if let value = positive("RENDER_MAX_PARTIAL_EXPANSIONS") {
      limits.maxPartialExpansions = value
    }
    if let value = positive("RENDER_MAX_MILLISECONDS", maximum: 600_000) {
      limits.maxDuration = .milliseconds(value)
    }
    return limits
  }
}

extension AppError {
  /// 422 `render-limit-exceeded`: a template or its variables ran out of a budget; the
  /// problem's `limit` member names it (`iterations`, `output-bytes`, `nesting`,
  /// `partial-expansions`, `time`).
  static func renderLimitExceeded(_ limit: RenderLimit, message: String, field: String)
    -> AppError
  {
    var error = AppError(
      .unprocessableEntity, type: "render-limit-exceeded",
      title: "The template exceeds a render limit", detail: message,
      errors: [.init(field: field, reason: message)])
    error.limit = limit
    return error
  }
}

/// Rendering, linting and counting tokens of large inputs, and writing a page of long issue
/// descriptions, leave the event loops: a request's CPU-heavy work must not stall every other
/// connection on its loop. Small ones (the usual prompt) cost microseconds and stay inline,
/// where a thread hop would cost more than the work.
enum OffLoop {
  /// Bytes of template plus variables from which the work moves to the thread pool.
  static let threshold = 64 * 1024

  static func run<T: Sendable>(
    if large: Bool, _ work: @escaping @Sendable () throws -> T
  ) async throws -> T {
    guard large else { return try work() }
    return try await NIOThreadPool.singleton.runIfActive(work)
  }
}
