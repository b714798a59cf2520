import Foundation
import Jobs
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import App

/// `GET /stats/jobs`: the dashboard's counts and the jobs finished and failed per hour of a
/// time zone.
@Suite struct JobStatsTests {
  /// A job in the given state, with its outcome times written as a worker would leave them.
  static func job(
    _ ctx: TestContext, state: JobState, finishedAt: String? = nil, failedAt: String? = nil
  ) async throws {
    let queued = try await ctx.app.jobs.queue.enqueue(.test, payload: ["n": UUID().uuidString])
    let finished = finishedAt.flatMap { RFC3339.date(from: $0) }
    let failed = failedAt.flatMap { RFC3339.date(from: $0) }
    try await ctx.app.db.sql.raw(
      """
      UPDATE jobs SET state = \(bind: state.rawValue), finished_at = \(bind: finished), \
      failed_at = \(bind: failed) WHERE id = \(bind: queued.job.id)
      """
    ).run()
  }

  @Test(arguments: TestDatabase.all)
  func countsAndHoursFollowTheZone(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      try await Self.job(ctx, state: .available)
      try await Self.job(ctx, state: .succeeded, finishedAt: "2026-12-04T10:20:00Z")
      try await Self.job(
        ctx, state: .dead, finishedAt: "2026-12-04T10:50:00Z", failedAt: "2026-12-04T10:50:00Z")
      try await Self.job(ctx, state: .retryable, failedAt: "2026-12-04T11:40:00Z")
      // failed once, then succeeded: it counts in both series
      try await Self.job(
        ctx, state: .succeeded, finishedAt: "2026-12-04T12:05:00Z",
        failedAt: "2026-12-04T11:55:00Z")
      try await Self.job(ctx, state: .succeeded, finishedAt: "2026-11-01T10:00:00Z")

      // act: four whole hours of UTC
      let utc = try await ctx.send(
        .GET, "/stats/jobs?from=2026-12-04T09:00:00Z&to=2026-12-04T13:00:00Z&tz=UTC",
        token: admin)
      #expect(utc.status == .ok)
      let stats = try utc.content.decode(JobStatsResponse.self)
      // check: pending jobs whatever their age, final ones of the window only
      #expect(
        Set(stats.counts) == [
          .init(state: "available", kind: "test", count: 1),
          .init(state: "succeeded", kind: "test", count: 2),
          .init(state: "dead", kind: "test", count: 1),
          .init(state: "retryable", kind: "test", count: 1),
        ])
      #expect(stats.hourly.map(\.start) == (9...12).map { Self.hour("2026-12-04", $0) })
      #expect(stats.hourly.map(\.finished) == [0, 1, 0, 1])
      #expect(stats.hourly.map(\.failed) == [0, 1, 2, 0])

      // India is UTC+05:30: its hours start at half past in UTC
      let india = try await ctx.send(
        .GET, "/stats/jobs?from=2026-12-04T09:40:00Z&to=2026-12-04T12:10:00Z&tz=Asia/Kolkata",
        token: admin)
      let hours = try india.content.decode(JobStatsResponse.self).hourly
      #expect(
        hours.map(\.start)
          == ["09:30", "10:30", "11:30"].map {
            RFC3339.date(from: "2026-12-04T\($0):00Z")!
          })
      #expect(hours.map(\.finished) == [1, 0, 1])
      #expect(hours.map(\.failed) == [0, 1, 2])
    }
  }

  @Test(arguments: TestDatabase.all)
  func theDefaultIsTheLastDayAndBadRangesAreRefused(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      let stats = try await ctx.send(.GET, "/stats/jobs", token: admin)
        .content.decode(JobStatsResponse.self)
      #expect(stats.hourly.count == 24 && stats.tz == "UTC")
      #expect(stats.to > Date() && stats.to.timeIntervalSinceNow <= 3_600)
      for query in [
        "from=2026-12-05&to=2026-12-04", "from=2026-10-01&to=2026-12-04", "tz=Mars/Olympus",
        "from=yesterday",
      ] {
        let refused = try await ctx.send(.GET, "/stats/jobs?\(query)", token: admin)
        #expect(refused.status == .unprocessableEntity, "\(query)")
      }
      let lead = try await ctx.createUser(role: .lead, adminToken: admin)
      let leadToken = try await ctx.login(lead.email, lead.password).accessToken
      #expect(try await ctx.send(.GET, "/stats/jobs", token: leadToken).status == .forbidden)
    }
  }

  /// Another company's admin counts none of the deployment's or the first company's jobs.
  @Test(arguments: TestDatabase.all)
  func eachCompanyCountsItsOwnJobs(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      try await Self.job(ctx, state: .available)
      let (_, other) = try await CompanyService(
        database: ctx.app.db, hasher: ctx.app.passwordHasher
      ).create(name: "Globex", adminEmail: "boss@globex.com", adminPassword: "globex-password-1")
      let stranger = try await ctx.login(other.email, "globex-password-1").accessToken
      let theirs = try await ctx.send(.GET, "/stats/jobs", token: stranger)
        .content.decode(JobStatsResponse.self)
      #expect(theirs.counts.isEmpty)
      let ours = try await ctx.send(.GET, "/stats/jobs", token: admin)
        .content.decode(JobStatsResponse.self)
      #expect(ours.counts == [.init(state: "available", kind: "test", count: 1)])
    }
  }

  @Test(arguments: TestDatabase.all)
  func aRunningJobShowsItsLeaseAndAFailureItsTime(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      let queue = ctx.app.jobs.queue
      let queued = try await queue.enqueue(.test, payload: ["n": "1"])
      let claimed = try #require(try await queue.claim(limit: 1, owner: "worker-1").first)
      let running = try await ctx.send(.GET, "/jobs/\(queued.job.id)", token: admin)
      let shown = try running.content.decode(JobResponse.self)
      #expect(shown.state == "running" && shown.leaseExpiresAt != nil && shown.failedAt == nil)
      #expect(running.bodyString.contains(#""failedAt":null"#))
      try await queue.fail(claimed, owner: "worker-1", error: "boom")
      let failed = try await ctx.send(.GET, "/jobs/\(queued.job.id)", token: admin)
        .content.decode(JobResponse.self)
      #expect(failed.state == "retryable" && failed.lastError == "boom")
      #expect(failed.leaseExpiresAt == nil && failed.failedAt != nil)
    }
  }

  static func hour(_ day: String, _ hour: Int) -> Date {
    RFC3339.date(from: "\(day)T\(hour < 10 ? "0" : "")\(hour):00:00Z")!
  }
}
