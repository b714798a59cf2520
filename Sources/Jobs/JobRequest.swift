import Foundation

/// What to enqueue: a kind, its payload and how and when to run it.
public struct JobRequest: Sendable {
  /// Which unique key collisions make an enqueue a no-op.
  public enum Uniqueness: Sendable, Equatable {
    /// A job with the key that is still pending (available, running, retryable) wins.
    case whilePending
    /// Any job with the key wins, even finished, until pruned: a schedule slot runs once.
    case forever
  }

  /// What the job does.
  public var kind: JobKind
  /// The arguments, as JSON text.
  public var payload: String
  /// The queue to wait in.
  public var queue: String
  /// When to run; `nil` means now.
  public var runAt: Date?
  /// A second enqueue with this key returns the existing job instead of adding one.
  public var uniqueKey: String?
  /// How far ``uniqueKey`` reaches.
  public var uniqueness: Uniqueness
  /// Attempts before the job is dead; `nil` takes the configuration's.
  public var maxAttempts: Int?
  /// Whose job it is (e.g. a company's id); `nil` for the deployment's own work.
  public var tenant: String?

  /// A request with a payload already encoded as JSON text.
  public init(
    kind: JobKind,
    payloadJSON: String = "{}",
    queue: String = JobQueue.defaultQueueName,
    runAt: Date? = nil,
    uniqueKey: String? = nil,
    uniqueness: Uniqueness = .whilePending,
    maxAttempts: Int? = nil,
    tenant: String? = nil
  ) {
    self.kind = kind
    self.payload = payloadJSON
    self.queue = queue
    self.runAt = runAt
    self.uniqueKey = uniqueKey
    self.uniqueness = uniqueness
    self.maxAttempts = maxAttempts
    self.tenant = tenant
  }

  /// A request whose payload is encoded to JSON (keys sorted, so equal payloads are equal text).
  public init(
    kind: JobKind,
    payload: some Encodable,
    queue: String = JobQueue.defaultQueueName,
    runAt: Date? = nil,
    uniqueKey: String? = nil,
    uniqueness: Uniqueness = .whilePending,
    maxAttempts: Int? = nil,
    tenant: String? = nil
  ) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.dateEncodingStrategy = .iso8601
    self.init(
      kind: kind, payloadJSON: String(decoding: try encoder.encode(payload), as: UTF8.self),
      queue: queue, runAt: runAt, uniqueKey: uniqueKey, uniqueness: uniqueness,
      maxAttempts: maxAttempts, tenant: tenant)
  }
}

/// The outcome of an enqueue.
public struct EnqueueResult: Sendable, Equatable {
  /// The new job, or the existing one that holds the unique key.
  public var job: JobRecord
  /// Whether a new job was added (`false`: a job with the unique key already existed).
  public var inserted: Bool
}
