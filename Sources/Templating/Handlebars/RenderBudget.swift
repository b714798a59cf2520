/// The running totals of one render or lint against its `RenderLimits`.
///
/// Reading the clock costs about as much as evaluating a node, so the deadline is checked only
/// after every `clockInterval` units of work (a node, an iteration, or 4 KiB of output). A class,
/// so that counting is a plain store: mutating a struct held by the renderer costs a runtime
/// exclusivity check per node (a render of the typical template took a quarter longer).
final class RenderBudget {
  /// A budget ran out; the caller turns it into an error or a diagnostic with a position.
  struct Exceeded: Error {
    let limit: RenderLimit
  }

  let limits: RenderLimits
  private(set) var iterations = 0
  /// Bytes held by the output buffers in use (a nested buffer's bytes are released when it is
  /// handed to its parent, which counts them again as it appends them).
  private(set) var outputBytes = 0
  private(set) var partialExpansions = 0
  private let deadline: ContinuousClock.Instant
  private var work = 0

  static let clockInterval = 64

  init(_ limits: RenderLimits) {
    self.limits = limits
    // A year stands for "no limit": a larger duration could overflow the instant.
    deadline = ContinuousClock.now.advanced(by: min(limits.maxDuration, .seconds(31_536_000)))
  }

  /// One node evaluated or one block iteration.
  func step() throws(Exceeded) {
    iterations += 1
    if iterations > limits.maxIterations { throw Exceeded(limit: .iterations) }
    try spend(1)
  }

  /// `bytes` appended to an output buffer.
  func produce(_ bytes: Int) throws(Exceeded) {
    outputBytes += bytes
    if outputBytes > limits.maxOutputBytes { throw Exceeded(limit: .outputBytes) }
    try spend(bytes >> 12)
  }

  /// A finished nested buffer of `bytes` is handed over to be appended elsewhere (or dropped).
  func release(_ bytes: Int) {
    outputBytes -= bytes
  }

  /// One partial inclusion.
  func expandPartial() throws(Exceeded) {
    partialExpansions += 1
    if partialExpansions > limits.maxPartialExpansions {
      throw Exceeded(limit: .partialExpansions)
    }
    try spend(1)
  }

  /// Work that is not a step (a helper building a long string): only brings the next clock
  /// check closer.
  func spend(_ units: Int) throws(Exceeded) {
    work += units
    guard work >= Self.clockInterval else { return }
    work = 0
    if ContinuousClock.now >= deadline { throw Exceeded(limit: .time) }
  }
}
