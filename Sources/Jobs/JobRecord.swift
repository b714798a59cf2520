import Foundation
import SQLKit

/// One row of the `jobs` table.
public struct JobRecord: Sendable, Equatable, Identifiable {
  /// Time-ordered UUIDv7; keyset pagination follows it.
  public var id: UUID
  /// The queue the job waits in; workers can be limited to some queues.
  public var queue: String
  /// What the job does; selects the handler.
  public var kind: JobKind
  /// The arguments, as JSON text.
  public var payload: String
  /// Where the job is in its life.
  public var state: JobState
  /// How many times the job has been started (claimed).
  public var attempt: Int
  /// After this many failed attempts the job is dead.
  public var maxAttempts: Int
  /// When the job is due (for retries: when the backoff ends).
  public var runAt: Date
  /// The worker holding the job while it runs.
  public var leaseOwner: String?
  /// When the lease runs out unless renewed; the rescuer takes expired jobs back.
  public var leaseExpiresAt: Date?
  /// The error of the last failed attempt.
  public var lastError: String?
  /// At most one pending job holds a given unique key.
  public var uniqueKey: String?
  /// When the job was enqueued.
  public var createdAt: Date
  /// When the latest attempt started.
  public var startedAt: Date?
  /// When the job reached a final state.
  public var finishedAt: Date?
  /// Whose job it is (e.g. a company's id); `nil` for the deployment's own work.
  public var tenant: String? = nil
  /// When the latest attempt failed (kept after a retry succeeds).
  public var failedAt: Date? = nil

  /// Decodes the JSON payload.
  public func decodePayload<Payload: Decodable>(
    as type: Payload.Type = Payload.self, using decoder: JSONDecoder = JSONDecoder()
  ) throws -> Payload {
    try decoder.decode(Payload.self, from: Data(payload.utf8))
  }
}

extension JobRecord {
  /// The columns read into a record, in `SELECT` and `RETURNING` clauses.
  static let columns =
    "id, queue, kind, payload, state, attempt, max_attempts, run_at, lease_owner, "
    + "lease_expires_at, last_error, unique_key, created_at, started_at, finished_at, tenant, "
    + "failed_at"

  init(row: any SQLRow) throws {
    let rawState = try row.decode(column: "state", as: String.self)
    guard let state = JobState(rawValue: rawState) else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: [], debugDescription: "unknown job state \(rawState)"))
    }
    self.init(
      id: try row.decode(column: "id", as: UUID.self),
      queue: try row.decode(column: "queue", as: String.self),
      kind: JobKind(rawValue: try row.decode(column: "kind", as: String.self)),
      payload: try row.decode(column: "payload", as: String.self),
      state: state,
      attempt: try row.decode(column: "attempt", as: Int.self),
      maxAttempts: try row.decode(column: "max_attempts", as: Int.self),
      runAt: try row.decode(column: "run_at", as: Date.self),
      leaseOwner: try row.decode(column: "lease_owner", as: String?.self),
      leaseExpiresAt: try row.decode(column: "lease_expires_at", as: Date?.self),
      lastError: try row.decode(column: "last_error", as: String?.self),
      uniqueKey: try row.decode(column: "unique_key", as: String?.self),
      createdAt: try row.decode(column: "created_at", as: Date.self),
      startedAt: try row.decode(column: "started_at", as: Date?.self),
      finishedAt: try row.decode(column: "finished_at", as: Date?.self),
      tenant: try row.decode(column: "tenant", as: String?.self),
      failedAt: try row.decode(column: "failed_at", as: Date?.self)
    )
  }
}
