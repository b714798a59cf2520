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

/// How many jobs of one kind are in one state.
public struct JobKindCount: Sendable, Equatable, Hashable {
  /// The state.
  public var state: JobState
  /// The kind.
  public var kind: JobKind
  /// The number of jobs.
  public var count: Int
}

/// What happened to jobs in one quarter hour.
public struct JobQuarterOutcomes: Sendable, Equatable {
  /// The quarter hour: seconds since 1970 divided by 900, rounded down.
  public var quarter: Int
  /// Jobs that succeeded in it.
  public var succeeded: Int
  /// Jobs whose latest attempt failed in it.
  public var failed: Int
}

extension JobQueue {
  /// Seconds in a quarter hour: every time zone's offset is a whole number of them, so quarter
  /// hours add up to the local hours of any zone.
  public static let quarterHour = 900

  /// Jobs by state and kind: every job still to run (available, running, retryable), whatever
  /// its age, and the jobs that reached a final state in `[from, to)`.
  public func countsByStateAndKind(from: Date, to: Date, in scope: JobScope = .all)
    async throws -> [JobKindCount]
  {
    let pending = JobState.pending.map { "'\($0.rawValue)'" }.joined(separator: ", ")
    let rows = try await database.raw(
      """
      SELECT state, kind, COUNT(*) AS count FROM jobs \
      WHERE (state IN (\(unsafeRaw: pending)) \
      OR (finished_at >= \(bind: from) AND finished_at < \(bind: to)))\(scope.andCondition) \
      GROUP BY state, kind ORDER BY state, kind
      """
    ).all()
    return try rows.compactMap { row in
      guard let state = JobState(rawValue: try row.decode(column: "state", as: String.self))
      else { return nil }
      return JobKindCount(
        state: state, kind: JobKind(rawValue: try row.decode(column: "kind", as: String.self)),
        count: try row.decode(column: "count", as: Int.self))
    }
  }

  /// Per quarter hour of `[from, to)` that had any: the jobs that succeeded and the jobs whose
  /// latest attempt failed, oldest first.
  public func outcomesPerQuarterHour(from: Date, to: Date, in scope: JobScope = .all)
    async throws -> [JobQuarterOutcomes]
  {
    let dialect = try DatabaseEngine(database)
    // SQLite stores epoch seconds, which are positive: its truncating cast rounds down.
    func quarter(_ column: String) -> SQLQueryString {
      let divisor = String(Self.quarterHour)
      return dialect == .postgres
        ? "CAST(floor(extract(epoch FROM \(unsafeRaw: column)) / \(unsafeRaw: divisor)) AS BIGINT)"
        : "CAST(\(unsafeRaw: column) / \(unsafeRaw: divisor) AS INTEGER)"
    }
    let rows = try await database.raw(
      """
      SELECT quarter, SUM(succeeded) AS succeeded, SUM(failed) AS failed FROM (\
      SELECT \(quarter("finished_at")) AS quarter, 1 AS succeeded, 0 AS failed FROM jobs \
      WHERE state = 'succeeded' AND finished_at >= \(bind: from) AND finished_at < \(bind: to)\
      \(scope.andCondition) \
      UNION ALL \
      SELECT \(quarter("failed_at")) AS quarter, 0 AS succeeded, 1 AS failed FROM jobs \
      WHERE failed_at >= \(bind: from) AND failed_at < \(bind: to)\(scope.andCondition)\
      ) AS outcomes GROUP BY quarter ORDER BY quarter
      """
    ).all()
    return try rows.map { row in
      JobQuarterOutcomes(
        quarter: try row.decode(column: "quarter", as: Int.self),
        succeeded: try row.decode(column: "succeeded", as: Int.self),
        failed: try row.decode(column: "failed", as: Int.self))
    }
  }
}
