import Jobs
import Vapor

/// A job as `/jobs` shows it; fields without a value are `null`, never left out.
struct JobResponse: Content {
  let id: String
  let queue: String
  let kind: String
  let state: String
  let attempt: Int
  let maxAttempts: Int
  let runAt: Date
  let lastError: String?
  let uniqueKey: String?
  let payload: String
  let createdAt: Date
  let startedAt: Date?
  let finishedAt: Date?
  /// While running: when the worker's lease ends unless renewed (the rescuer then retries it).
  let leaseExpiresAt: Date?
  /// When the latest attempt failed.
  let failedAt: Date?

  init(_ job: JobRecord) {
    id = job.id.lowercasedText
    queue = job.queue
    kind = job.kind.rawValue
    state = job.state.rawValue
    attempt = job.attempt
    maxAttempts = job.maxAttempts
    runAt = job.runAt
    lastError = job.lastError
    uniqueKey = job.uniqueKey
    payload = job.payload
    createdAt = job.createdAt
    startedAt = job.startedAt
    finishedAt = job.finishedAt
    leaseExpiresAt = job.leaseExpiresAt
    failedAt = job.failedAt
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(id, forKey: .id)
    try container.encode(queue, forKey: .queue)
    try container.encode(kind, forKey: .kind)
    try container.encode(state, forKey: .state)
    try container.encode(attempt, forKey: .attempt)
    try container.encode(maxAttempts, forKey: .maxAttempts)
    try container.encode(runAt, forKey: .runAt)
    try container.encode(lastError, forKey: .lastError)
    try container.encode(uniqueKey, forKey: .uniqueKey)
    try container.encode(payload, forKey: .payload)
    try container.encode(createdAt, forKey: .createdAt)
    try container.encode(startedAt, forKey: .startedAt)
    try container.encode(finishedAt, forKey: .finishedAt)
    try container.encode(leaseExpiresAt, forKey: .leaseExpiresAt)
    try container.encode(failedAt, forKey: .failedAt)
  }
}
