import SQLKit

/// What runs the process's SQLite writes: the job queue hands its writes to it so that they take
/// turns with the application's (see ``SQLiteGroupCommit``).
public protocol SQLiteWriteGroup: Sendable {
  /// Runs `body` in a write transaction and returns once it is durably committed.
  func write<Result: Sendable>(
    _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
  ) async throws -> Result
}

/// The process's single SQLite writer: concurrent write transactions share one commit.
///
/// SQLite has one writer per file, and a durable commit costs an `fsync` of the log. Instead of
/// each request beginning, committing and syncing on its own while the others queue, one task
/// owns the writer connection and runs whatever is waiting as one group:
/// `BEGIN IMMEDIATE`, each request's body in its own savepoint (a body that throws is rolled
/// back to its savepoint and answered at once, the others go on), then one `COMMIT`. Requests
/// that arrive meanwhile wait for the next group. A request is answered only after the commit
/// that holds it returned, so an acknowledged write is as durable as `synchronous` makes any
/// commit; the grouping changes how many writes one sync carries, not what a sync guarantees.
///
/// Bodies run one after another on one connection, so a body must not wait on anything but
/// that connection (no network). A write transaction asked for from inside a body, on any
/// handle, joins the body's instead of waiting for a group that waits for it.
public final class SQLiteGroupCommit<Session: Sendable>: Sendable {
  /// Lends the writer connection to `body`, for one group.
  public typealias Lease =
    @Sendable (
      _ body: @escaping @Sendable (Session) async throws -> Void
    ) async throws -> Void

  private struct Entry: Sendable {
    /// Runs the request's body; what it returns answers the request after the commit.
    let run: @Sendable (Session) async throws -> @Sendable () -> Void
    let fail: @Sendable (any Error) -> Void
  }

  private struct State {
    var waiting: [Entry] = []
    var draining = false
  }

  private let lease: Lease
  private let sql: @Sendable (Session) -> any SQLDatabase
  private let prepare: @Sendable (any SQLDatabase) async throws -> Void
  /// Whether `prepare` ran on the connection the lease lends; false again after a failed
  /// group, which may have cost the connection.
  private let prepared = Locked(false)
  private let maxGroup: Int
  private let executor: (any TaskExecutor)?
  private let state = Locked(State())
  private let groups = Locked(GroupCounts())

  /// How many groups and writes went through, for the tests and `/metrics`.
  public struct GroupCounts: Sendable, Equatable {
    public var groups = 0
    public var writes = 0
  }

  /// - Parameters:
  ///   - executor: Where the groups run: the writer's connection's own thread, so that its
  ///     statements resume without waiting behind other work.
  ///   - maxGroup: At most this many requests share a commit, so that a burst cannot make the
  ///     first request of a group wait for hundreds of others' statements.
  ///   - lease: Lends the writer connection; the same one each time.
  ///   - sql: The session as SQLKit sees it, for the transaction statements.
  ///   - prepare: Run once on the writer's connection before its first group, e.g. to set
  ///     its busy timeout.
  public init(
    executor: (any TaskExecutor)? = nil,
    maxGroup: Int = 64,
    lease: @escaping Lease,
    sql: @escaping @Sendable (Session) -> any SQLDatabase,
    prepare: @escaping @Sendable (any SQLDatabase) async throws -> Void = { _ in }
  ) {
    self.executor = executor
    self.maxGroup = maxGroup
    self.lease = lease
    self.sql = sql
    self.prepare = prepare
  }

  /// The groups committed so far and the writes they held.
  public var counts: GroupCounts { groups.withLock { $0 } }

  /// Runs `body` in the next group and returns its result once that group is committed; throws
  /// the body's error (nothing of it is written) or the group's (nothing of the group is).
  public func transaction<Result: Sendable>(
    _ body: @escaping @Sendable (Session) async throws -> Result
  ) async throws -> Result {
    if let enclosing = GroupCommitContext.current, enclosing.group == ObjectIdentifier(self),
      let session = enclosing.session as? Session
    {
      return try await body(session)
    }
    return try await withCheckedThrowingContinuation { continuation in
      let entry = Entry(
        run: { session in
          let result = try await body(session)
          return { continuation.resume(returning: result) }
        },
        fail: { continuation.resume(throwing: $0) })
      let startsDraining = state.withLock { state in
        state.waiting.append(entry)
        guard !state.draining else { return false }
        state.draining = true
        return true
      }
      if startsDraining {
        Task(executorPreference: executor) { await self.drain() }
      }
    }
  }

  /// Commits groups until nobody waits.
  private func drain() async {
    while true {
      let group: [Entry] = state.withLock { state in
        let taken = Array(state.waiting.prefix(maxGroup))
        state.waiting.removeFirst(taken.count)
        if taken.isEmpty { state.draining = false }
        return taken
      }
      guard !group.isEmpty else { return }
      await commit(group)
    }
  }

  private func commit(_ group: [Entry]) async {
    let answers = Locked<[@Sendable () -> Void]>([])
    let failed = Locked<Set<Int>>([])
    let committed = Locked(false)
    do {
      try await lease { session in
        let sql = self.sql(session)
        if !self.prepared.withLock({ $0 }) {
          try await self.prepare(sql)
          self.prepared.withLock { $0 = true }
        }
        try await sql.raw("BEGIN IMMEDIATE").run()
        do {
          // A group of one needs no savepoint: its transaction is its own.
          let isolates = group.count > 1
          for (index, entry) in group.enumerated() {
            if isolates { try await sql.raw("SAVEPOINT request").run() }
            do {
              let answer = try await GroupCommitContext.$current.withValue(
                .init(group: ObjectIdentifier(self), session: session)
              ) { try await entry.run(session) }
              if isolates { try await sql.raw("RELEASE request").run() }
              answers.withLock { $0.append(answer) }
            } catch {
              // These statements failing means the transaction is gone: the group's error,
              // below, answers everyone left.
              if isolates {
                try await sql.raw("ROLLBACK TO request").run()
                try await sql.raw("RELEASE request").run()
              } else {
                try await sql.raw("ROLLBACK").run()
              }
              failed.withLock { _ = $0.insert(index) }
              entry.fail(error)
            }
          }
          if answers.withLock({ $0.isEmpty }) && !isolates {
            return  // rolled back above
          }
          try await sql.raw("COMMIT").run()
          committed.withLock { $0 = true }
        } catch {
          try? await sql.raw("ROLLBACK").run()
          throw error
        }
      }
    } catch  where !committed.withLock({ $0 }) {
      prepared.withLock { $0 = false }
      let answered = failed.withLock { $0 }
      for (index, entry) in group.enumerated() where !answered.contains(index) {
        entry.fail(error)
      }
      return
    } catch {
      // Returning the connection failed after the commit: what it holds is written.
    }
    let delivered = answers.withLock { $0 }
    guard !delivered.isEmpty else { return }
    groups.withLock {
      $0.groups += 1
      $0.writes += delivered.count
    }
    for answer in delivered {
      answer()
    }
  }
}

extension SQLiteGroupCommit: SQLiteWriteGroup {
  public func write<Result: Sendable>(
    _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
  ) async throws -> Result {
    try await transaction { session in try await body(self.sql(session)) }
  }
}

/// The group and session a body runs in, for the transactions it asks for itself.
enum GroupCommitContext {
  struct Current: Sendable {
    let group: ObjectIdentifier
    let session: any Sendable
  }

  @TaskLocal static var current: Current?
}
