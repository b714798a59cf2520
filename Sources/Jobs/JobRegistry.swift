/// The handlers a worker can run, by job kind.
///
/// A worker claims jobs of any kind in its queues; a job whose kind has no handler here fails
/// its attempt (and is retried: a newer worker in a rolling deploy may know it).
public struct JobRegistry: Sendable {
  private var handlers: [JobKind: any JobHandler] = [:]

  /// An empty registry.
  public init() {}

  /// Registers `handler` for `kind`, replacing any earlier one.
  public mutating func register(_ kind: JobKind, handler: any JobHandler) {
    handlers[kind] = handler
  }

  /// Registers a closure for `kind`.
  public mutating func register(
    _ kind: JobKind, _ body: @escaping @Sendable (JobRecord, JobContext) async throws -> Void
  ) {
    handlers[kind] = ClosureJobHandler(body)
  }

  /// The handler for `kind`, if any.
  public func handler(for kind: JobKind) -> (any JobHandler)? {
    handlers[kind]
  }

  /// The registered kinds, sorted.
  public var kinds: [JobKind] {
    handlers.keys.sorted { $0.rawValue < $1.rawValue }
  }
}
