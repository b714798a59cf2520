import Foundation
import Testing

@testable import Jobs

@Suite struct BackoffTests {
  @Test func delaysDoubleUpToTheCap() {
    // setup
    let backoff = JobBackoff(random: { 0.5 })  // u = 0: no jitter

    // check
    #expect(backoff.delay(afterAttempt: 1) == 2)
    #expect(backoff.delay(afterAttempt: 2) == 4)
    #expect(backoff.delay(afterAttempt: 9) == 512)
    #expect(backoff.delay(afterAttempt: 11) == 2048)
    #expect(backoff.delay(afterAttempt: 12) == 3600)
    #expect(backoff.delay(afterAttempt: 500) == 3600)
  }

  @Test func jitterStaysWithinTwentyPercent() {
    #expect(JobBackoff(random: { 0 }).delay(afterAttempt: 3) == 8 * 0.8)
    #expect(abs(JobBackoff(random: { 0.999_999 }).delay(afterAttempt: 3) - 8 * 1.2) < 0.001)
    let backoff = JobBackoff()
    for _ in 0..<1000 {
      let delay = backoff.delay(afterAttempt: 5)
      #expect(delay >= 32 * 0.8 && delay <= 32 * 1.2)
    }
  }
}

@Suite struct ConfigurationTests {
  @Test func defaultsMatchTheSettings() throws {
    let configuration = try JobsConfiguration(environment: [:])
    #expect(configuration.leaseDuration == .seconds(30))
    #expect(configuration.pollInterval == .milliseconds(1000))
    #expect(configuration.maxAttempts == 10)
    #expect(configuration.retention == .seconds(7 * 86_400))
  }

  @Test func readsTheEnvironment() throws {
    let configuration = try JobsConfiguration(environment: [
      "JOBS_LEASE_SECONDS": "12", "JOBS_POLL_INTERVAL_MS": "250", "JOBS_MAX_ATTEMPTS": "3",
      "JOBS_RETENTION_DAYS": "2",
    ])
    #expect(configuration.leaseDuration == .seconds(12))
    #expect(configuration.pollInterval == .milliseconds(250))
    #expect(configuration.maxAttempts == 3)
    #expect(configuration.retention == .seconds(2 * 86_400))
  }

  @Test func namesEveryInvalidVariable() {
    #expect(
      throws: JobsConfigurationError(invalidVariables: ["JOBS_LEASE_SECONDS", "JOBS_MAX_ATTEMPTS"])
    ) {
      try JobsConfiguration(environment: ["JOBS_LEASE_SECONDS": "x", "JOBS_MAX_ATTEMPTS": "0"])
    }
  }
}

@Suite struct IdentifierAndSlotTests {
  @Test func idsAreVersion7AndIncreasing() {
    let now = Date()
    let ids = (0..<5000).map { _ in JobID.make(now: now) }
    #expect(ids.allSatisfy { $0.uuidString.dropFirst(14).first == "7" })
    #expect(ids.map(\.uuidString) == ids.map(\.uuidString).sorted())
    #expect(Set(ids).count == ids.count)
    let later = JobID.make(now: now.addingTimeInterval(1))
    #expect(later.uuidString > ids.last!.uuidString)
  }

  @Test func slotsAreAlignedToTheEpoch() {
    let date = Date(timeIntervalSince1970: 1_750_000_123)
    let start = ScheduleSlot.start(of: date, interval: .seconds(300))
    #expect(start == Date(timeIntervalSince1970: 1_749_999_900))
    #expect(
      ScheduleSlot.uniqueKey(kind: .syncJiraIssues, entity: "t1", slotStart: start)
        == "sync-jira-issues:t1:1749999900")
  }
}
