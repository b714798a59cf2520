import Foundation
import Jobs
import SQLKit
import Testing

@Suite struct QueueTests {
  @Test(arguments: Backend.available)
  func schemaCanBeDroppedAndCreatedAgain(_ backend: Backend) async throws {
    try await withTestDatabase(backend) { database in
      try await JobsSchema.drop(on: database.sql)
      try await JobsSchema.create(on: database.sql)
      let queue = try database.makeQueue()
      #expect(try await queue.list().jobs.isEmpty)
    }
  }

  @Test(arguments: Backend.available)
  func enqueueStoresTheRequest(_ backend: Backend) async throws {
    try await withTestDatabase(backend) { database in
      // setup
      let clock = ManualJobClock()
      let queue = try database.makeQueue(clock: clock)
      let runAt = clock.now().addingTimeInterval(60)

      // act
      let result = try await queue.enqueue(
        .processWebhook, payload: ["delivery": "abc"], queue: "webhooks", runAt: runAt,
        maxAttempts: 4)

      // check
      #expect(result.inserted)
      let job = try await reload(queue, result.job.id)
      #expect(job == result.job)
      #expect(job.kind == .processWebhook)
      #expect(job.queue == "webhooks")
      #expect(job.state == .available)
      #expect(job.attempt == 0)
      #expect(job.maxAttempts == 4)
      #expect(job.runAt == runAt)
      #expect(job.createdAt == clock.now())
      #expect(try job.decodePayload(as: [String: String].self) == ["delivery": "abc"])
      // Not due yet: nothing to claim until the clock reaches run_at.
      #expect(try await queue.claim(limit: 5, owner: "w").isEmpty)
      clock.advance(by: 60)
      #expect(try await queue.claim(limit: 5, owner: "w").map(\.id) == [job.id])
    }
  }

  @Test(arguments: Backend.available)
  func uniqueKeyReturnsThePendingJob(_ backend: Backend) async throws {
    try await withTestDatabase(backend) { database in
      let queue = try database.makeQueue()
      let request = JobRequest(kind: .syncJiraIssues, uniqueKey: "sync:tracker-1")

      let first = try await queue.enqueue(request)
      let second = try await queue.enqueue(request)
      #expect(first.inserted)
      #expect(!second.inserted)
      #expect(second.job.id == first.job.id)

      // Still unique while running.
      _ = try await queue.claim(limit: 1, owner: "w")
      #expect(try await queue.enqueue(request).job.id == first.job.id)

      // Once finished, the key is free again (`whilePending`).
      let claimed = try await reload(queue, first.job.id)
      try await queue.complete(claimed, owner: "w")
      let third = try await queue.enqueue(request)
      #expect(third.inserted)
      #expect(third.job.id != first.job.id)

      // `forever` also counts finished jobs.
      let slot = JobRequest(kind: .test, uniqueKey: "slot-1", uniqueness: .forever)
      let slotJob = try await queue.enqueue(slot).job
      _ = try await queue.cancel(id: slotJob.id)
      let again = try await queue.enqueue(slot)
      #expect(!again.inserted)
      #expect(again.job.id == slotJob.id)
    }
  }

  @Test(arguments: Backend.available)
  func enqueueInARolledBackTransactionLeavesNoJob(_ backend: Backend) async throws {
    try await withTestDatabase(backend) { database in
      let queue = try database.makeQueue()

      try await database.sql.withSession { session in
        try await session.raw("BEGIN").run()
        _ = try await queue.enqueue(JobRequest(kind: .test), on: session)
        try await session.raw("ROLLBACK").run()
      }
      #expect(try await queue.list().jobs.isEmpty)

      let committed = try await database.sql.withSession { session in
        try await session.raw("BEGIN").run()
        let result = try await queue.enqueue(JobRequest(kind: .test), on: session)
        try await session.raw("COMMIT").run()
        return result.job
      }
      #expect(try await queue.list().jobs.map(\.id) == [committed.id])
    }
  }

  @Test(arguments: Backend.available)
  func retryAndCancelFollowTheStates(_ backend: Backend) async throws {
    try await withTestDatabase(backend) { database in
      let queue = try database.makeQueue()
      let job = try await queue.enqueue(JobRequest(kind: .test)).job

      // Available → cancelled; cancelled allows neither cancel nor retry.
      #expect(try await queue.cancel(id: job.id).state == .cancelled)
      await #expect(
        throws: JobsError.invalidTransition(id: job.id, from: .cancelled, action: "cancel")
      ) {
        try await queue.cancel(id: job.id)
      }
      await #expect(
        throws: JobsError.invalidTransition(id: job.id, from: .cancelled, action: "retry")
      ) {
        try await queue.retry(id: job.id)
      }
      let missing = UUID()
      await #expect(throws: JobsError.notFound(missing)) { try await queue.retry(id: missing) }
      #expect(!JobsError.notFound(missing).isConflict)
      #expect(JobsError.invalidTransition(id: job.id, from: .dead, action: "x").isConflict)

      // Succeeded cannot be retried; running can be cancelled.
      let other = try await queue.enqueue(JobRequest(kind: .test)).job
      let claimed = try #require(try await queue.claim(limit: 1, owner: "w").first)
      #expect(claimed.id == other.id)
      #expect(try await queue.cancel(id: other.id).state == .cancelled)
      #expect(try await queue.complete(claimed, owner: "w") == false)  // no longer held

      let third = try await queue.enqueue(JobRequest(kind: .test)).job
      let running = try #require(try await queue.claim(limit: 1, owner: "w").first)
      try await queue.complete(running, owner: "w")
      await #expect(
        throws: JobsError.invalidTransition(id: third.id, from: .succeeded, action: "retry")
      ) {
        try await queue.retry(id: third.id)
      }
    }
  }

  @Test(arguments: Backend.available)
  func retryOfADeadJobIsRefusedWhileAnotherHoldsItsKey(_ backend: Backend) async throws {
    try await withTestDatabase(backend) { database in
      let queue = try database.makeQueue()
      let request = JobRequest(kind: .test, uniqueKey: "k", maxAttempts: 1)
      let job = try await queue.enqueue(request).job
      let claimed = try #require(try await queue.claim(limit: 1, owner: "w").first)
      #expect(try await queue.fail(claimed, owner: "w", error: "boom") == .dead)
      let replacement = try await queue.enqueue(request)
      #expect(replacement.inserted)

      await #expect(throws: JobsError.uniqueKeyTaken(id: job.id, uniqueKey: "k")) {
        try await queue.retry(id: job.id)
      }
      _ = try await queue.cancel(id: replacement.job.id)
      let retried = try await queue.retry(id: job.id)
      #expect(retried.state == .available)
      #expect(retried.maxAttempts == 2)  // one more attempt
    }
  }

  @Test(arguments: Backend.available)
  func listFiltersAndPaginatesById(_ backend: Backend) async throws {
    try await withTestDatabase(backend) { database in
      let clock = ManualJobClock()
      let queue = try database.makeQueue(clock: clock)
      var ids: [UUID] = []
      for index in 0..<7 {
        clock.advance(by: 0.001)
        let kind: JobKind = index.isMultiple(of: 2) ? .test : .processWebhook
        ids.append(try await queue.enqueue(JobRequest(kind: kind)).job.id)
      }
      _ = try await queue.cancel(id: ids[0])

      // Pages of 3, oldest first.
      var seen: [UUID] = []
      var cursor: UUID?
      repeat {
        let page = try await queue.list(JobListQuery(after: cursor, limit: 3))
        seen += page.jobs.map(\.id)
        cursor = page.nextCursor
      } while cursor != nil
      #expect(seen == ids)

      // Newest first.
      let newest = try await queue.list(JobListQuery(limit: 2, newestFirst: true))
      #expect(newest.jobs.map(\.id) == [ids[6], ids[5]])
      let next = try await queue.list(
        JobListQuery(after: newest.nextCursor, limit: 2, newestFirst: true))
      #expect(next.jobs.map(\.id) == [ids[4], ids[3]])

      // Filters.
      let tests = try await queue.list(JobListQuery(kind: .test))
      #expect(tests.jobs.map(\.id) == [ids[0], ids[2], ids[4], ids[6]])
      let available = try await queue.list(JobListQuery(states: [.available], kind: .test))
      #expect(available.jobs.map(\.id) == [ids[2], ids[4], ids[6]])
      let cancelled = try await queue.list(JobListQuery(states: [.cancelled]))
      #expect(cancelled.jobs.map(\.id) == [ids[0]])
    }
  }

  @Test(arguments: Backend.available)
  func countsAndOldestAvailableAge(_ backend: Backend) async throws {
    try await withTestDatabase(backend) { database in
      let clock = ManualJobClock()
      let queue = try database.makeQueue(clock: clock)
      #expect(try await queue.oldestAvailableAge() == 0)
      try await queue.enqueue(JobRequest(kind: .test, queue: "a"))
      clock.advance(by: 30)
      try await queue.enqueue(JobRequest(kind: .test, queue: "b"))
      try await queue.enqueue(JobRequest(kind: .test, queue: "b"))
      try await queue.enqueue(JobRequest(kind: .test, queue: "b", runAt: clock.now() + 999))
      _ = try await queue.claim(limit: 1, queues: ["b"], owner: "w")
      clock.advance(by: 10)

      let counts = Set(try await queue.counts())
      #expect(
        counts == [
          JobCount(queue: "a", state: .available, count: 1),
          JobCount(queue: "b", state: .available, count: 2),
          JobCount(queue: "b", state: .running, count: 1),
        ])
      #expect(try await queue.oldestAvailableAge() == 40)
      #expect(try await queue.oldestAvailableAge(queue: "b") == 10)
    }
  }

  @Test(arguments: Backend.available)
  func pruneDeletesOldFinishedJobsInBatches(_ backend: Backend) async throws {
    try await withTestDatabase(backend) { database in
      let clock = ManualJobClock()
      let queue = try database.makeQueue(clock: clock)
      var old: [UUID] = []
      for _ in 0..<5 {
        let job = try await queue.enqueue(JobRequest(kind: .test)).job
        old.append(try await queue.cancel(id: job.id).id)
      }
      let pending = try await queue.enqueue(JobRequest(kind: .test)).job
      clock.advance(by: 8 * 86_400)
      let recent = try await queue.enqueue(JobRequest(kind: .test)).job
      _ = try await queue.cancel(id: recent.id)

      #expect(try await queue.prune(batchSize: 2) == 5)
      let left = Set(try await queue.list().jobs.map(\.id))
      #expect(left == [pending.id, recent.id])
    }
  }

  @Test(arguments: Backend.available)
  func rescuerTakesBackExpiredLeases(_ backend: Backend) async throws {
    try await withTestDatabase(backend) { database in
      let clock = ManualJobClock()
      let queue = try database.makeQueue(
        configuration: JobsConfiguration(leaseDuration: .seconds(30)), clock: clock)
      let job = try await queue.enqueue(JobRequest(kind: .test, maxAttempts: 2)).job
      _ = try await queue.claim(limit: 1, owner: "dead-worker")

      clock.advance(by: 29)
      #expect(try await queue.rescueExpiredLeases().isEmpty)
      clock.advance(by: 2)
      #expect(try await queue.rescueExpiredLeases().map(\.state) == [.retryable])
      var row = try await reload(queue, job.id)
      #expect(row.state == .retryable)
      #expect(row.leaseOwner == nil)
      #expect(row.lastError?.contains("lease expired") == true)

      // The second (last) attempt also dies with its worker: dead.
      let second = try #require(try await queue.claim(limit: 1, owner: "w2").first)
      #expect(second.attempt == 2)
      clock.advance(by: 31)
      #expect(try await queue.rescueExpiredLeases().map(\.state) == [.dead])
      row = try await reload(queue, job.id)
      #expect(row.state == .dead)
      #expect(row.finishedAt == clock.now())
    }
  }

  @Test(arguments: Backend.available)
  func concurrentClaimsNeverShareAJob(_ backend: Backend) async throws {
    try await withTestDatabase(backend) { database in
      let queue = try database.makeQueue()
      try await database.sql.withSession { session in
        try await session.raw("BEGIN").run()
        for _ in 0..<200 {
          try await queue.enqueue(JobRequest(kind: .test), on: session)
        }
        try await session.raw("COMMIT").run()
      }
      let claimed = try await withThrowingTaskGroup(of: [UUID].self) { group in
        for claimer in 0..<8 {
          group.addTask {
            var mine: [UUID] = []
            while true {
              let jobs = try await queue.claim(limit: 7, owner: "c\(claimer)")
              if jobs.isEmpty { return mine }
              mine += jobs.map(\.id)
            }
          }
        }
        return try await group.reduce(into: [UUID]()) { $0 += $1 }
      }
      #expect(claimed.count == 200)
      #expect(Set(claimed).count == 200)
    }
  }
}
