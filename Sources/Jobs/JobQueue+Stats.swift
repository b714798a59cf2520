import Foundation
import SQLKit

/// How many jobs one queue holds in one state.
public struct JobCount: Sendable, Equatable, Hashable {
  /// The queue.
  public var queue: String
  /// The state.
  public var state: JobState
  /// The number of jobs.
  public var count: Int

  /// A count.
  public init(queue: String, state: JobState, count: Int) {
    self.queue = queue
    self.state = state
    self.count = count
  }
}

extension JobQueue {
  /// Job counts by queue and state (queue depth), for metrics and the dashboard.
  public func counts() async throws -> [JobCount] {
    let rows = try await database.raw(
      "SELECT queue, state, COUNT(*) AS count FROM jobs GROUP BY queue, state ORDER BY queue, state"
    ).all()
    return try rows.map { row in
      JobCount(
        queue: try row.decode(column: "queue", as: String.self),
        state: JobState(rawValue: try row.decode(column: "state", as: String.self)) ?? .available,
        count: try row.decode(column: "count", as: Int.self))
    }
  }

  /// How long the oldest due job has waited to start (0 when none is due): the sign of too few
  /// workers.
  ///
  /// - Parameter queue: One queue, or all when `nil`.
  public func oldestAvailableAge(queue: String? = nil) async throws -> TimeInterval {
    let now = clock.now()
    let filter: SQLQueryString = queue.map { " AND queue = \(bind: $0)" } ?? ""
    let rows = try await database.raw(
      """
      SELECT run_at FROM jobs WHERE state IN ('available', 'retryable') \
      AND run_at <= \(bind: now)\(filter) ORDER BY run_at LIMIT 1
      """
    ).all()
    guard let oldest = try rows.first?.decode(column: "run_at", as: Date.self) else { return 0 }
    return max(0, now.timeIntervalSince(oldest))
  }
}
