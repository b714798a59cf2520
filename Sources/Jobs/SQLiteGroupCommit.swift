import Foundation
import SQLKit

/// What runs the process's SQLite writes: the job queue hands its writes to it so that they take
/// turns with the application's (see ``SQLiteGroupCommit``).
public protocol SQLiteWriteGroup: Sendable {
  /// Runs `body` in a write transaction and returns once it is durably committed.
  func write<Result: Sendable>(
    _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
  ) async throws -> Result
}

/// A connection of the writer's own that runs synchronous bodies on its own thread: a whole
/// group of them, with the transaction's statements, in one job (``SQLiteGroupCommit/direct(_:)``).
public protocol SQLiteDirectLane: Sendable {
  associatedtype Connection
  /// Runs `body` on the lane's thread without waiting for it, with the lane's connection, or
  /// with the error that kept it from opening (or the lane is shut down).
  func submit(_ body: @escaping @Sendable (Result<Connection, any Error>) -> Void)
  /// Runs a statement of the transaction's own (`BEGIN IMMEDIATE`, `SAVEPOINT`…).
  func execute(_ sql: String, on connection: Connection) throws
  /// A group's transaction failed with `error`: the lane drops the connection if the error may
  /// have broken it, and opens another for the next group. Called on the lane's thread.
  func transactionFailed(_ error: any Error, on connection: Connection)
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
///
/// Two kinds of body share the writer: `transaction` bodies are async and run on a `Session`
/// (Fluent's connection: models, SQLKit), one statement per thread hand-over; `direct` bodies
/// are synchronous and run on the lane's connection, the whole group in one job on its thread,
/// for the hot paths. A group holds one kind; the groups take turns, so the two connections
/// never write at once.
public final class SQLiteGroupCommit<Session: Sendable, Lane: SQLiteDirectLane>: Sendable {
  /// Lends the writer connection to `body`, for one group.
  public typealias Lease =
    @Sendable (
      _ body: @escaping @Sendable (Session) async throws -> Void
    ) async throws -> Void

  private typealias Answer = @Sendable () -> Void

  private struct Entry: Sendable {
    enum Work: Sendable {
      case session(@Sendable (Session) async throws -> Answer)
      case direct(@Sendable (Lane.Connection) throws -> Answer)
    }
    /// Runs the request's body; what it returns answers the request after the commit.
    let work: Work
    let fail: @Sendable (any Error) -> Void

    var isDirect: Bool {
      if case .direct = work { return true }
      return false
    }
  }

  private struct State {
    var waiting: [Entry] = []
    var draining = false
    /// Direct writes announced (`announcingWrite`) and not yet asked for.
    var announced = 0
  }

  private let lease: Lease
  private let lane: Lane
  private let sql: @Sendable (Session) -> any SQLDatabase
  private let prepare: @Sendable (any SQLDatabase) async throws -> Void
  /// Whether `prepare` ran on the connection the lease lends; false again after a failed
  /// group, which may have cost the connection.
  private let prepared = Locked(false)
  private let maxGroup: Int
  private let announcedWait: TimeInterval
  private let executor: (any TaskExecutor)?
  private let state = ConditionLocked(State())
  private let groups = Locked(GroupCounts())

  /// How many groups were committed and how many writes they held (`/metrics`).
  public struct GroupCounts: Sendable, Equatable {
    public var groups = 0
    public var writes = 0
  }

  /// - Parameters:
  ///   - executor: Where the groups run: the writer's connection's own thread, so that its
  ///     statements resume without waiting behind other work.
  ///   - maxGroup: At most this many requests share a commit, so that a burst cannot make the
  ///     first request of a group wait for hundreds of others' statements.
  ///   - announcedWait: How long a direct group about to commit waits, at most, for the writes
  ///     announced to it (`announcingWrite`); zero commits at once.
  ///   - lease: Lends the writer connection; the same one each time.
  ///   - lane: Runs the direct bodies.
  ///   - sql: The session as SQLKit sees it, for the transaction statements.
  ///   - prepare: Run once on the writer's connection before its first group, e.g. to set
  ///     its busy timeout.
  public init(
    executor: (any TaskExecutor)? = nil,
    maxGroup: Int = 64,
    announcedWait: Duration = .microseconds(400),
    lease: @escaping Lease,
    lane: Lane,
    sql: @escaping @Sendable (Session) -> any SQLDatabase,
    prepare: @escaping @Sendable (any SQLDatabase) async throws -> Void = { _ in }
  ) {
    self.executor = executor
    self.maxGroup = maxGroup
    let (seconds, attoseconds) = announcedWait.components
    self.announcedWait = Double(seconds) + Double(attoseconds) * 1e-18
    self.lease = lease
    self.lane = lane
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
      enqueue(
        Entry(
          work: .session { session in
            let result = try await body(session)
            return { continuation.resume(returning: result) }
          },
          fail: { continuation.resume(throwing: $0) }))
    }
  }

  /// Runs `body` on the lane's connection in the next direct group, and returns its result
  /// once that group is committed. `body` runs on the lane's thread: it must not block on
  /// anything but its statements.
  public func direct<Result: Sendable>(
    _ body: @escaping @Sendable (Lane.Connection) throws -> Result
  ) async throws -> Result {
    if let enclosing = GroupCommitContext.current, enclosing.group == ObjectIdentifier(self) {
      // The enclosing body's group waits for this one, which would wait for it.
      throw NestedDirectWrite()
    }
    let announcement = WriteAnnouncement.current.flatMap {
      $0.group == ObjectIdentifier(self) ? $0 : nil
    }
    return try await withCheckedThrowingContinuation { continuation in
      enqueue(
        Entry(
          work: .direct { connection in
            let result = try body(connection)
            return { continuation.resume(returning: result) }
          },
          fail: { continuation.resume(throwing: $0) }),
        arriving: announcement)
    }
  }

  /// Runs `body`, which is about to ask for a direct write (`direct`), with the writer told to
  /// expect it: a direct group about to commit while announced writes are still on their way
  /// waits for them, up to `announcedWait`, so that they share its commit instead of each
  /// paying for one (a commit writes every page the group changed, and the pages most writes
  /// change — the ends of the indexes, the statistics rows — are the same). A write that is
  /// not announced, or a quiet writer, commits at once. The announcement ends with `body`'s
  /// first direct write, or with `body` if it writes nothing.
  public func announcingWrite<Result>(
    _ body: () async throws -> Result
  ) async rethrows -> Result {
    let announcement = WriteAnnouncement(group: ObjectIdentifier(self))
    state.withLock { $0.announced += 1 }
    defer {
      state.withLockWaking { state in
        if !announcement.arrived { state.announced -= 1 }
        announcement.arrived = true
      }
    }
    return try await WriteAnnouncement.$current.withValue(announcement) { try await body() }
  }

  private func enqueue(_ entry: Entry, arriving announcement: WriteAnnouncement? = nil) {
    let startsDraining = state.withLockWaking { state in
      state.waiting.append(entry)
      if let announcement, !announcement.arrived {
        announcement.arrived = true
        state.announced -= 1
      }
      guard !state.draining else { return false }
      state.draining = true
      return true
    }
    guard startsDraining else { return }
    // Nobody was waiting, so `entry` heads the queue. A direct group goes straight to the
    // lane's thread: one thread hand-over there and one back to the request, which is most of
    // a lone generation's latency on a quiet server.
    if entry.isDirect {
      let group = nextGroup()
      lane.submit { self.drainDirect(from: group, $0) }
    } else {
      Task(executorPreference: executor) { await self.drain(from: self.nextGroup()) }
    }
  }

  /// The oldest waiting body and those of its kind behind it, at most `maxGroup`; empty, and no
  /// longer draining, when nobody waits.
  private func nextGroup() -> [Entry] {
    state.withLock { state in
      guard let first = state.waiting.first else {
        state.draining = false
        return []
      }
      var taken: [Entry] = []
      var left: [Entry] = []
      for entry in state.waiting {
        if taken.count < maxGroup && entry.isDirect == first.isDirect {
          taken.append(entry)
        } else {
          left.append(entry)
        }
      }
      state.waiting = left
      return taken
    }
  }

  /// Commits Fluent groups, starting with `group`, until nobody waits or a direct group is
  /// next, which it hands to the lane's thread.
  private func drain(from group: [Entry]) async {
    var group = group
    while let first = group.first {
      if first.isDirect {
        let direct = group
        lane.submit { self.drainDirect(from: direct, $0) }
        return
      }
      await commit(group)
      group = nextGroup()
    }
  }

  /// Commits direct groups on the lane's thread, starting with `group`, until nobody waits or
  /// a Fluent group is next, which it hands to a task.
  private func drainDirect(from group: [Entry], _ connection: Result<Lane.Connection, any Error>) {
    var group = group
    while let first = group.first {
      if !first.isDirect {
        let fluent = group
        Task(executorPreference: executor) { await self.drain(from: fluent) }
        return
      }
      switch connection {
      case .success(let connection):
        group = joiningAnnounced(group)
        guard commitDirect(group, on: connection) else {
          // The lane may have dropped the connection: the next group asks for it anew.
          let next = nextGroup()
          if !next.isEmpty { lane.submit { self.drainDirect(from: next, $0) } }
          return
        }
      case .failure(let error): settle(group, GroupOutcome(), groupFailure: error)
      }
      group = nextGroup()
    }
  }

  /// `group` with the direct writes that arrive while announced ones are on their way, waiting
  /// for them at most `announcedWait` (on the lane's thread, which has nothing else to do).
  private func joiningAnnounced(_ group: [Entry]) -> [Entry] {
    guard announcedWait > 0 else { return group }
    let maxGroup = maxGroup
    let keepWaiting = { (state: State) in
      state.announced > 0 && group.count + state.waiting.count < maxGroup
    }
    return state.wait(until: Date(timeIntervalSinceNow: announcedWait), while: keepWaiting) {
      state in
      var joined = group
      var left: [Entry] = []
      for entry in state.waiting {
        if joined.count < maxGroup && entry.isDirect {
          joined.append(entry)
        } else {
          left.append(entry)
        }
      }
      state.waiting = left
      return joined
    }
  }

  /// A group of direct bodies: the whole transaction, on the lane's thread. False when the
  /// transaction itself failed (not one of its bodies).
  private func commitDirect(_ group: [Entry], on connection: Lane.Connection) -> Bool {
    var outcome = GroupOutcome()
    let execute = { (sql: String) in try self.lane.execute(sql, on: connection) }
    do {
      try execute("BEGIN IMMEDIATE")
      do {
        let isolates = group.count > 1
        for (index, entry) in group.enumerated() {
          guard case .direct(let run) = entry.work else { continue }
          if isolates { try execute("SAVEPOINT request") }
          do {
            let answer = try run(connection)
            if isolates { try execute("RELEASE request") }
            outcome.answers.append(answer)
          } catch {
            try execute(isolates ? "ROLLBACK TO request" : "ROLLBACK")
            if isolates { try execute("RELEASE request") }
            outcome.failures[index] = error
          }
        }
        if !isolates && outcome.answers.isEmpty {
          // Rolled back above.
          settle(group, outcome, groupFailure: nil)
          return true
        }
        try execute("COMMIT")
      } catch {
        try? execute("ROLLBACK")
        throw error
      }
    } catch {
      lane.transactionFailed(error, on: connection)
      settle(group, outcome, groupFailure: error)
      return false
    }
    settle(group, outcome, groupFailure: nil)
    return true
  }

  /// What a group's bodies did: their answers, their own errors, and whether it committed.
  private struct GroupOutcome {
    var answers: [Answer] = []
    var failures: [Int: any Error] = [:]
    var committed = false
  }

  /// Answers each request of a group: a body's own error, else the group's, else its result.
  private func settle(_ group: [Entry], _ outcome: GroupOutcome, groupFailure: (any Error)?) {
    for (index, entry) in group.enumerated() {
      if let own = outcome.failures[index] {
        entry.fail(own)
      } else if let groupFailure {
        entry.fail(groupFailure)
      }
    }
    guard groupFailure == nil, !outcome.answers.isEmpty else { return }
    groups.withLock {
      $0.groups += 1
      $0.writes += outcome.answers.count
    }
    for answer in outcome.answers {
      answer()
    }
  }

  /// A group of Fluent bodies, one statement at a time on the writer's Fluent connection.
  private func commit(_ group: [Entry]) async {
    let outcome = Locked(GroupOutcome())
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
            guard case .session(let run) = entry.work else { continue }
            if isolates { try await sql.raw("SAVEPOINT request").run() }
            do {
              let answer = try await GroupCommitContext.$current.withValue(
                .init(group: ObjectIdentifier(self), session: session)
              ) { try await run(session) }
              if isolates { try await sql.raw("RELEASE request").run() }
              outcome.withLock { $0.answers.append(answer) }
            } catch {
              // These statements failing means the transaction is gone: the group's error,
              // below, answers everyone left.
              let undo = isolates ? "ROLLBACK TO request" : "ROLLBACK"
              try await sql.raw(SQLQueryString(undo)).run()
              if isolates { try await sql.raw("RELEASE request").run() }
              outcome.withLock { $0.failures[index] = error }
            }
          }
          if !isolates && outcome.withLock({ $0.answers.isEmpty }) {
            return  // rolled back above
          }
          try await sql.raw("COMMIT").run()
          outcome.withLock { $0.committed = true }
        } catch {
          try? await sql.raw("ROLLBACK").run()
          throw error
        }
      }
    } catch  where !outcome.withLock({ $0.committed }) {
      prepared.withLock { $0 = false }
      settle(group, outcome.withLock { $0 }, groupFailure: error)
      return
    } catch {
      // Returning the connection failed after the commit: what it holds is written.
    }
    settle(group, outcome.withLock { $0 }, groupFailure: nil)
  }
}

extension SQLiteGroupCommit: SQLiteWriteGroup {
  public func write<Result: Sendable>(
    _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
  ) async throws -> Result {
    try await transaction { session in try await body(self.sql(session)) }
  }
}

/// A direct write asked for inside a `transaction` body of the same writer: refused, because
/// it could only run after the group that is waiting for it.
public struct NestedDirectWrite: Error, CustomStringConvertible {
  public var description: String {
    "a direct write cannot run inside a write transaction of the same SQLite writer"
  }
}

/// A direct write on its way to a group (`SQLiteGroupCommit.announcingWrite`).
final class WriteAnnouncement: @unchecked Sendable {
  let group: ObjectIdentifier
  /// Whether the write was asked for, or the announcement ended without it. Guarded by the
  /// group's state lock.
  var arrived = false

  init(group: ObjectIdentifier) {
    self.group = group
  }

  @TaskLocal static var current: WriteAnnouncement?
}

/// The group and session a body runs in, for the transactions it asks for itself.
enum GroupCommitContext {
  struct Current: Sendable {
    let group: ObjectIdentifier
    let session: any Sendable
  }

  @TaskLocal static var current: Current?
}
