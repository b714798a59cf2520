import Foundation
import SQLKit

/// Filters and keyset pagination for listing jobs.
public struct JobListQuery: Sendable, Equatable {
  /// Only jobs in one of these states (empty: any).
  public var states: [JobState]
  /// Only jobs of this kind.
  public var kind: JobKind?
  /// Only jobs in this queue.
  public var queue: String?
  /// The cursor: the id of the last job of the previous page.
  public var after: UUID?
  /// Page size.
  public var limit: Int
  /// Newest first (descending ids) instead of oldest first.
  public var newestFirst: Bool
  /// Whose jobs.
  public var scope: JobScope

  /// A query; with no arguments, the first 50 jobs, oldest first.
  public init(
    states: [JobState] = [], kind: JobKind? = nil, queue: String? = nil, after: UUID? = nil,
    limit: Int = 50, newestFirst: Bool = false, scope: JobScope = .all
  ) {
    self.states = states
    self.kind = kind
    self.queue = queue
    self.after = after
    self.limit = limit
    self.newestFirst = newestFirst
    self.scope = scope
  }
}

/// One page of jobs.
public struct JobPage: Sendable, Equatable {
  /// The jobs, in id order.
  public var jobs: [JobRecord]
  /// Pass as ``JobListQuery/after`` for the next page; `nil` on the last page.
  public var nextCursor: UUID?
}

extension JobQueue {
  /// Lists jobs by id (creation order, ids being UUIDv7), filtered, one page at a time.
  public func list(_ query: JobListQuery = JobListQuery()) async throws -> JobPage {
    let limit = max(1, query.limit)
    var conditions: [SQLQueryString] = []
    if !query.states.isEmpty {
      conditions.append("state IN \(SQLQueryString.states(query.states))")
    }
    if let kind = query.kind { conditions.append("kind = \(bind: kind.rawValue)") }
    if let queue = query.queue { conditions.append("queue = \(bind: queue)") }
    if let scope = query.scope.condition { conditions.append(scope) }
    if let after = query.after {
      conditions.append(query.newestFirst ? "id < \(bind: after)" : "id > \(bind: after)")
    }
    var sql: SQLQueryString = "SELECT \(unsafeRaw: JobRecord.columns) FROM jobs"
    for (index, condition) in conditions.enumerated() {
      sql += index == 0 ? " WHERE " : " AND "
      sql += condition
    }
    sql += " ORDER BY id \(unsafeRaw: query.newestFirst ? "DESC" : "ASC") LIMIT \(bind: limit + 1)"
    var jobs = try await Self.records(sql, on: database)
    let hasMore = jobs.count > limit
    if hasMore { jobs.removeLast() }
    return JobPage(jobs: jobs, nextCursor: hasMore ? jobs.last?.id : nil)
  }
}
