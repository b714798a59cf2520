import Foundation
import Jobs
import JobsDrivers
import SQLKit
import ServiceLifecycle
import Testing

@Suite struct WorkerTests {
  @Test(arguments: Backend.available)
  func twoWorkersRunAThousandJobsExactlyOnce(_ backend: Backend) async throws {
    try await withTestDatabase(backend) { database in
      // setup
      let queue = try database.makeQueue()
      let runs = RunLog()
      let ids = try await database.sql.withSession { session in
        try await session.raw("BEGIN").run()
        var ids: [UUID] = []
        for _ in 0..<1000 {
          ids.append(try await queue.enqueue(JobRequest(kind: .test), on: session).job.id)
        }
        try await session.raw("COMMIT").run()
        return ids
      }
      let metrics = RecordingMetrics()
      let byWorker = Tally()
      let workers = (0..<2).map { index in
        var registry = JobRegistry()
        registry.register(.test) { job, context in
          await runs.record(job.id)
          await byWorker.record(context.workerID)
        }
        return JobWorker(
          queue: queue, registry: registry,
          options: JobWorkerOptions(concurrency: 8, workerID: "worker-\(index)"), metrics: metrics)
      }

      // act
      try await withServices(workers) { _ in
        try await eventually(timeout: .seconds(40), "1000 runs") { await runs.total >= 1000 }
      }

      // check
      let counts = await runs.runs
      #expect(counts.count == 1000)
      #expect(counts.values.allSatisfy { $0 == 1 })
      #expect(Set(counts.keys) == Set(ids))
      #expect(
        try await queue.counts() == [JobCount(queue: "default", state: .succeeded, count: 1000)])
    }
  }

  @Test(arguments: Backend.available)
  func failingJobBacksOffThenDiesAndRunsAgainAfterRetry(_ backend: Backend) async throws {
    try await withTestDatabase(backend) { database in
      // setup: no jitter, so that every delay is exactly 2^attempt seconds
      let clock = ManualJobClock()
      let queue = try database.makeQueue(clock: clock, backoff: JobBackoff(random: { 0.5 }))
      let runs = RunLog()
      let payload = TestJobHandler.Payload(failUntilAttempt: 3)
      let job = try await queue.enqueue(.test, payload: payload, maxAttempts: 3).job
      let worker = JobWorker(
        queue: queue, registry: testRegistry { await runs.record($0.id) },
        options: JobWorkerOptions(pollInterval: .milliseconds(20)))

      try await withServices([worker]) { _ in
        // act + check: attempts 1 and 2 fail and wait 2 s then 4 s of (manual) time
        for (attempt, delay) in [(1, 2.0), (2, 4.0)] {
          try await eventually("attempt \(attempt) failed") {
            let row = try await reload(queue, job.id)
            return row.state == .retryable && row.attempt == attempt
          }
          let row = try await reload(queue, job.id)
          #expect(row.runAt == clock.now().addingTimeInterval(delay))
          #expect(row.lastError == "test job failed on attempt \(attempt)")
          // Not due before the backoff ends.
          clock.advance(by: delay - 0.5)
          try await Task.sleep(for: .milliseconds(100))
          #expect(try await reload(queue, job.id).attempt == attempt)
          clock.advance(by: 0.5)
        }
        // Attempt 3 is the last: dead, kept for inspection.
        try await eventually("dead") { try await reload(queue, job.id).state == .dead }
        let dead = try await reload(queue, job.id)
        #expect(dead.attempt == 3)
        #expect(dead.finishedAt == clock.now())
        #expect(await runs.total == 0)

        // A manual retry runs it once more, and now it succeeds.
        let retried = try await queue.retry(id: job.id)
        #expect(retried.state == .available)
        #expect(retried.maxAttempts == 4)
        try await eventually("succeeded") { try await reload(queue, job.id).state == .succeeded }
        #expect(try await reload(queue, job.id).attempt == 4)
        #expect(await runs.runs == [job.id: 1])
      }
    }
  }

  @Test(arguments: Backend.available)
  func permanentFailureAndUnknownKinds(_ backend: Backend) async throws {
    try await withTestDatabase(backend) { database in
      let queue = try database.makeQueue()
      let permanent = try await queue.enqueue(
        .test, payload: TestJobHandler.Payload(failUntilAttempt: 99, permanent: true)
      ).job
      let unknown = try await queue.enqueue(JobRequest(kind: "no-such-kind", maxAttempts: 5)).job
      let metrics = RecordingMetrics()
      let worker = JobWorker(queue: queue, registry: testRegistry(), metrics: metrics)

      try await withServices([worker]) { _ in
        try await eventually { try await reload(queue, permanent.id).state == .dead }
        try await eventually { try await reload(queue, unknown.id).state == .retryable }
      }
      #expect(try await reload(queue, permanent.id).attempt == 1)
      #expect(try await reload(queue, unknown.id).lastError?.contains("no handler") == true)
      #expect(metrics["started"] == 2)
      #expect(metrics["failed"] == 2)
      #expect(metrics["dead"] == 1)
      #expect(metrics["succeeded"] == 0)
    }
  }

  @Test(arguments: Backend.available)
  func gracefulShutdownFinishesTheRunningJob(_ backend: Backend) async throws {
    try await withTestDatabase(backend) { database in
      let queue = try database.makeQueue()
      let job = try await queue.enqueue(
        .test, payload: TestJobHandler.Payload(sleepMilliseconds: 800)
      )
      .job
      let worker = JobWorker(queue: queue, registry: testRegistry())

      try await withServices([worker]) { _ in
        try await eventually("running") { try await reload(queue, job.id).state == .running }
        // Leaving the block triggers graceful shutdown (SIGTERM in production) and waits.
      }
      let row = try await reload(queue, job.id)
      #expect(row.state == .succeeded)
      #expect(row.attempt == 1)
    }
  }

  @Test(arguments: Backend.available)
  func shutdownTimeoutReleasesTheJobToOtherWorkers(_ backend: Backend) async throws {
    try await withTestDatabase(backend) { database in
      let queue = try database.makeQueue()
      let job = try await queue.enqueue(
        .test, payload: TestJobHandler.Payload(sleepMilliseconds: 60_000)
      ).job
      let worker = JobWorker(
        queue: queue, registry: testRegistry(),
        options: JobWorkerOptions(shutdownTimeout: .milliseconds(300)))

      let started = ContinuousClock.now
      try await withServices([worker]) { _ in
        try await eventually("running") { try await reload(queue, job.id).state == .running }
      }
      #expect(ContinuousClock.now - started < .seconds(35))
      let row = try await reload(queue, job.id)
      #expect(row.state == .available)
      #expect(row.attempt == 0)
      #expect(row.leaseOwner == nil)
    }
  }

  @Test(arguments: Backend.available)
  func cancellingARunningJobCancelsItsHandler(_ backend: Backend) async throws {
    try await withTestDatabase(backend) { database in
      let queue = try database.makeQueue(
        configuration: JobsConfiguration(
          leaseDuration: .milliseconds(600), pollInterval: .milliseconds(50)))
      let handlerCancelled = RunLog()
      var registry = JobRegistry()
      registry.register(.test) { job, _ in
        do {
          try await Task.sleep(for: .seconds(60))
        } catch {
          await handlerCancelled.record(job.id)
          throw error
        }
      }
      let job = try await queue.enqueue(JobRequest(kind: .test)).job
      let worker = JobWorker(queue: queue, registry: registry)

      try await withServices([worker]) { _ in
        try await eventually("running") { try await reload(queue, job.id).state == .running }
        _ = try await queue.cancel(id: job.id)
        // The next lease renewal (every 200 ms) notices and cancels the handler.
        try await eventually("handler cancelled") { await handlerCancelled.total == 1 }
      }
      #expect(try await reload(queue, job.id).state == .cancelled)
    }
  }

  @Test(arguments: Backend.available)
  func leaseIsRenewedWhileTheJobRuns(_ backend: Backend) async throws {
    try await withTestDatabase(backend) { database in
      // The job runs for twice its lease; renewals every third of it leave a second of slack,
      // which a loaded machine needs (600 ms leases failed under a parallel build).
      let queue = try database.makeQueue(
        configuration: JobsConfiguration(
          leaseDuration: .milliseconds(1500), pollInterval: .milliseconds(50)))
      let job = try await queue.enqueue(
        .test, payload: TestJobHandler.Payload(sleepMilliseconds: 3000)
      ).job
      // Two workers: the second would rescue and rerun the job if the first let its lease
      // expire.
      let runs = RunLog()
      let workers = (0..<2).map { _ in
        JobWorker(queue: queue, registry: testRegistry { await runs.record($0.id) })
      }
      try await withServices(workers) { _ in
        try await eventually("succeeded") { try await reload(queue, job.id).state == .succeeded }
      }
      #expect(try await reload(queue, job.id).attempt == 1)
      #expect(await runs.total == 1)
    }
  }

  @Test
  func notifyWakesAWorkerLongBeforeItsNextPoll() async throws {
    guard Backend.available.contains(.postgres) else { return }
    try await withTestDatabase(.postgres) { database in
      // The worker polls once a minute; only NOTIFY can start the job promptly.
      let workerQueue = try database.makeQueue(
        configuration: JobsConfiguration(pollInterval: .seconds(60)))
      let runs = RunLog()
      let worker = JobWorker(
        queue: workerQueue, registry: testRegistry { await runs.record($0.id) },
        notifier: PostgresJobNotifier(url: database.postgresURL!, logger: TestDatabase.logger))

      try await withServices([worker]) { _ in
        // Let the worker's first (empty) claim and LISTEN happen.
        try await Task.sleep(for: .milliseconds(500))
        // Another process's queue: no in-process wake-up.
        let otherProcess = try database.makeQueue()
        let started = ContinuousClock.now
        try await otherProcess.enqueue(JobRequest(kind: .test))
        try await eventually(timeout: .seconds(5), "job ran") { await runs.total == 1 }
        #expect(ContinuousClock.now - started < .seconds(3))
      }
    }
  }
}
