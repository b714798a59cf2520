import Foundation
import Jobs
import SQLKit
import Testing

/// A tenant's reader sees and changes its own jobs only; tenant-less jobs are added to its
/// scope only when asked.
@Suite struct ScopeTests {
  @Test(arguments: Backend.available)
  func aTenantSeesAndChangesOnlyItsOwnJobs(_ backend: Backend) async throws {
    try await withTestDatabase(backend) { database in
      // setup: one job of tenant a, one of b, one of the deployment
      let queue = try database.makeQueue()
      let ofA = try await queue.enqueue(JobRequest(kind: .test, tenant: "a")).job
      let ofB = try await queue.enqueue(.test, payload: ["n": 1], tenant: "b").job
      let deployment = try await queue.enqueue(JobRequest(kind: .test)).job
      #expect(ofA.tenant == "a")
      #expect(ofB.tenant == "b")
      #expect(deployment.tenant == nil)

      // list
      let onlyA = JobScope.tenant("a")
      let withDeployment = JobScope.tenant("a", withUntenanted: true)
      #expect(try await queue.list(JobListQuery(scope: onlyA)).jobs.map(\.id) == [ofA.id])
      #expect(
        try await queue.list(JobListQuery(scope: withDeployment)).jobs.map(\.id) == [
          ofA.id, deployment.id,
        ])
      #expect(try await queue.list().jobs.count == 3)

      // look-up, cancel and retry of another tenant's job: not found, and unchanged
      #expect(try await queue.job(id: ofB.id, in: onlyA) == nil)
      #expect(try await queue.job(id: ofA.id, in: onlyA)?.id == ofA.id)
      await #expect(throws: JobsError.notFound(ofB.id)) {
        try await queue.cancel(id: ofB.id, in: withDeployment)
      }
      await #expect(throws: JobsError.notFound(deployment.id)) {
        try await queue.cancel(id: deployment.id, in: onlyA)
      }
      #expect(try await queue.job(id: ofB.id)?.state == .available)
      #expect(try await queue.job(id: deployment.id)?.state == .available)

      // own jobs can be changed
      #expect(try await queue.cancel(id: ofA.id, in: onlyA).state == .cancelled)
      #expect(try await queue.cancel(id: deployment.id, in: withDeployment).state == .cancelled)
      _ = try await queue.cancel(id: ofB.id)
      let claimedNothing = try await queue.claim(limit: 5, owner: "w")
      #expect(claimedNothing.isEmpty)
      await #expect(throws: JobsError.notFound(ofB.id)) {
        try await queue.retry(id: ofB.id, in: onlyA)
      }
      await #expect(
        throws: JobsError.invalidTransition(id: ofA.id, from: .cancelled, action: "retry")
      ) {
        try await queue.retry(id: ofA.id, in: onlyA)
      }
    }
  }

  @Test(arguments: Backend.available)
  func scheduledEntitiesCarryTheirTenant(_ backend: Backend) async throws {
    try await withTestDatabase(backend) { database in
      let queue = try database.makeQueue()
      let schedule = JobSchedule.perEntity(.test) {
        [ScheduledEntity(id: "t1", interval: .seconds(60), tenant: "a")]
      }
      let scheduler = JobScheduler(queue: queue, schedules: [schedule])
      let enqueued = await scheduler.tick()
      #expect(enqueued.map(\.tenant) == ["a"])
      #expect(try await queue.list(JobListQuery(scope: .tenant("a"))).jobs.count == 1)
    }
  }

  @Test(arguments: Backend.available)
  func theFirstVersionOfTheTableTakesItsLaterColumns(_ backend: Backend) async throws {
    try await withTestDatabase(backend) { database in
      try await JobsSchema.drop(on: database.sql)
      try await JobsSchema.createFirstVersion(on: database.sql)
      try await JobsSchema.addTenant(on: database.sql)
      try await JobsSchema.addFailedAt(on: database.sql)
      let queue = try database.makeQueue()
      let job = try await queue.enqueue(JobRequest(kind: .test, tenant: "a")).job
      #expect(try await queue.list(JobListQuery(scope: .tenant("a"))).jobs.map(\.id) == [job.id])
      let claimed = try #require(try await queue.claim(limit: 1, owner: "w").first)
      try await queue.fail(claimed, owner: "w", error: "boom")
      #expect(try await queue.job(id: job.id)?.failedAt != nil)
    }
  }
}
