import Foundation
import Jobs
import Testing

@Suite struct SchedulerTests {
  @Test(arguments: Backend.available)
  func threeWorkersAndSchedulersRunEachOfThreeSlotsOnce(_ backend: Backend) async throws {
    try await withTestDatabase(backend) { database in
      // setup: three "processes", each with a worker and a scheduler, on one database
      let clock = ManualJobClock(Date(timeIntervalSince1970: 1_750_000_200))  // a slot start
      let queue = try database.makeQueue(clock: clock)
      let runs = RunLog()
      let kind: JobKind = .syncJiraIssues
      var registry = JobRegistry()
      registry.register(kind) { job, _ in await runs.record(job.id) }
      let schedule = JobSchedule.perEntity(kind) {
        [ScheduledEntity(id: "tracker-1", interval: .seconds(300), payloadJSON: #"{"tracker":1}"#)]
      }
      let workers = (0..<3).map { _ in JobWorker(queue: queue, registry: registry) }

      try await withServices(workers) { _ in
        for slot in 0..<3 {
          // act: every process ticks several times across the slot, also after the run ended
          for step in 0..<3 {
            let schedulers = (0..<3).map { _ in JobScheduler(queue: queue, schedules: [schedule]) }
            await withTaskGroup(of: Void.self) { group in
              for scheduler in schedulers { group.addTask { await scheduler.tick() } }
            }
            try await eventually("slot \(slot) ran") { await runs.total == slot + 1 }
            clock.advance(by: step < 2 ? 90 : 120)
          }
        }
      }

      // check
      #expect(await runs.total == 3)
      let jobs = try await queue.list().jobs
      #expect(jobs.count == 3)
      #expect(jobs.allSatisfy { $0.state == .succeeded && $0.payload == #"{"tracker":1}"# })
      #expect(
        jobs.compactMap(\.uniqueKey) == [
          "sync-jira-issues:tracker-1:1750000200",
          "sync-jira-issues:tracker-1:1750000500",
          "sync-jira-issues:tracker-1:1750000800",
        ])
    }
  }

  @Test(arguments: Backend.available)
  func entitiesComeFromTheClosureWithTheirOwnIntervals(_ backend: Backend) async throws {
    try await withTestDatabase(backend) { database in
      let clock = ManualJobClock(Date(timeIntervalSince1970: 1_750_000_200))
      let queue = try database.makeQueue(clock: clock)
      let scheduler = JobScheduler(
        queue: queue,
        schedules: [
          .perEntity(.syncTeamworkIssues) {
            [
              ScheduledEntity(id: "fast", interval: .seconds(60)),
              ScheduledEntity(id: "slow", interval: .seconds(600)),
            ]
          },
          .every(.seconds(3600), .cleanupOldOutputs),
        ])

      #expect(await scheduler.tick().count == 3)
      #expect(await scheduler.tick().isEmpty)
      clock.advance(by: 60)
      #expect(
        await scheduler.tick().compactMap(\.uniqueKey) == ["sync-teamwork-issues:fast:1750000260"])
      clock.advance(by: 540)
      #expect(await scheduler.tick().count == 2)  // fast and slow; cleanup stays in its hour
    }
  }
}

extension SchedulerTests {
  struct Unreadable: Error {}

  /// A schedule whose entities cannot be read is skipped and logged; the others still run, and
  /// `run()` ticks until the graceful shutdown.
  @Test(arguments: Backend.available)
  func aFailingScheduleDoesNotStopTheOthers(_ backend: Backend) async throws {
    try await withTestDatabase(backend) { database in
      let queue = try database.makeQueue()
      let broken = JobSchedule.perEntity(.syncJiraIssues) { throw Unreadable() }
      let working = JobSchedule.perEntity(.syncTeamworkIssues) {
        [ScheduledEntity(id: "t", interval: .seconds(300))]
      }
      let scheduler = JobScheduler(
        queue: queue, schedules: [broken, working], tickInterval: .milliseconds(100))
      try await withServices([scheduler]) { _ in
        try await eventually("the working schedule ran") {
          (try? await queue.list().jobs.count) == 1
        }
      }
      #expect(try await queue.list().jobs.map(\.kind) == [.syncTeamworkIssues])
    }
  }

  @Test func finishedStatesAreTheFinalOnes() {
    #expect(JobState.allCases.filter(\.isFinished) == [.succeeded, .dead, .cancelled])
    #expect(Set(JobState.pending).isDisjoint(with: JobState.finished))
    #expect(Set(JobState.claimable).isSubset(of: JobState.pending))
  }
}
