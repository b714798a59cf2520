import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import App

/// `GET /stats/summary` adds up the `generation_daily_stats` rollup (whole UTC days) and the raw
/// events of the partial days: its numbers must be those of the events alone, in any time zone.
@Suite struct StatsRollupTests {
  /// Time zones whose midnights fall on, before, after and between UTC's, with half-hour and
  /// 45-minute offsets.
  static let timeZones = [
    "UTC", "Europe/Paris", "Asia/Kathmandu", "America/St_Johns", "Pacific/Kiritimati",
    "America/Los_Angeles",
  ]

  @Test(arguments: TestDatabase.all)
  func theRollupGivesTheNumbersOfTheRawEvents(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let (reference, _) = try await Self.seedEventsAroundDayBoundaries(ctx)

      // act and check: through the trigger-maintained rollup, then after the migration is
      // reverted and run again on existing events (its backfill)
      try await expectRawNumbers(ctx, around: reference)
      try await CreateGenerationDailyStats().revert(on: ctx.app.db)
      try await CreateGenerationDailyStats().prepare(on: ctx.app.db)
      try await expectRawNumbers(ctx, around: reference)
    }
  }

  /// Three templates, one generation through the API, then events around day boundaries
  /// (Paris changes to summer time on 2026-03-29) with five kinds of IDE; returns that day's
  /// noon and the fixture (its users' tokens).
  static func seedEventsAroundDayBoundaries(_ ctx: TestContext) async throws
    -> (reference: Date, fixture: CoreLoopTests.Fixture)
  {
    let f = try await CoreLoopTests.fixture(ctx)
    var templateIDs: [UUID] = []
    for name in ["alpha", "beta", "gamma"] {
      let template = try await CoreLoopTests().createTemplate(f, name: name)
      templateIDs.append(try #require(UUID(uuidString: template.id)))
    }
    let generated = try await CoreLoopTests().generate(f, templateID: templateIDs[0].uuidString)
    #expect(generated.status == .created)
    let first = try #require(try await GenerationEvent.query(on: ctx.app.db).first())
    let reference = Date(timeIntervalSince1970: 1_774_785_600)  // 2026-03-29 12:00 UTC
    let midnight = (reference.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
    let offsets: [TimeInterval] = [
      0, 0.000_001, 86_400 - 0.000_001, 3_600, 2 * 3_600 + 1_800, 3 * 3_600 + 1_800,
      10 * 3_600, 18 * 3_600 + 900, 22 * 3_600, 23 * 3_600, 23 * 3_600 + 59 * 60,
    ]
    let ides: [String?] = [nil, "", "vscode", "cursor", "unknown"]
    let sql = ctx.app.db.sql
    var n = 0
    for day in -9...1 {
      for offset in offsets {
        n += 1
        let timestamp = Date(
          timeIntervalSince1970: midnight + Double(day) * 86_400 + offset)
        try await sql.raw(
          """
          INSERT INTO generation_events (id, company_id, prompt_version_id, template_id,
            user_id, tokens_in, ide, "timestamp")
          VALUES (\(bind: UUID()), \(bind: ctx.companyID), \(bind: first.$promptVersion.id),
            \(bind: templateIDs[n % 3]), \(bind: first.$user.id), \(bind: 100 + 7 * n),
            \(bind: ides[n % ides.count]), \(bind: timestamp))
          """
        ).run()
      }
    }
    return (reference, f)
  }

  private func expectRawNumbers(_ ctx: TestContext, around reference: Date) async throws {
    let events = try await GenerationEvent.query(on: ctx.app.db)
      .filter(\.$company.$id == ctx.companyID).all()
    var names: [UUID: String] = [:]
    for template in try await PromptTemplate.query(on: ctx.app.db).all() {
      names[try template.requireID()] = template.name
    }
    for name in Self.timeZones {
      let timeZone = try #require(TimeZone(identifier: name))
      for hours in [-13.0, -0.5, 0, 5.75, 11.5, 23.99] {
        let now = reference.addingTimeInterval(hours * 3_600)
        // act
        let summary = try await StatsService(database: ctx.app.db)
          .summary(companyID: ctx.companyID, timeZone: timeZone, now: now)

        // check: the same numbers from the events themselves
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let today = calendar.startOfDay(for: now)
        let weekStart = try #require(calendar.date(byAdding: .day, value: -6, to: today))
        let tomorrow = try #require(calendar.date(byAdding: .day, value: 1, to: today))
        let todays = events.filter { $0.timestamp >= today && $0.timestamp < tomorrow }
        let weeks = events.filter { $0.timestamp >= weekStart && $0.timestamp < tomorrow }
        let context = Comment(rawValue: "\(name) at \(now)")
        #expect(summary.promptsToday == todays.count, context)
        #expect(summary.tokensToday == todays.map(\.tokensIn).reduce(0, +), context)
        #expect(summary.promptsLast7Days == weeks.count, context)
        var byIde: [String?: (prompts: Int, tokens: Int)] = [:]
        for event in todays {
          byIde[event.ide, default: (0, 0)].prompts += 1
          byIde[event.ide, default: (0, 0)].tokens += event.tokensIn
        }
        let expectedIdes = byIde.map {
          "\($0.key ?? "unknown") \($0.value.prompts) \($0.value.tokens)"
        }
        #expect(
          summary.byIde.map { "\($0.ide) \($0.prompts) \($0.tokens)" }.sorted()
            == expectedIdes.sorted(), context)
        #expect(summary.byIde.map(\.prompts) == summary.byIde.map(\.prompts).sorted(by: >))
        var uses: [UUID: Int] = [:]
        for event in weeks { uses[event.$template.id, default: 0] += 1 }
        #expect(
          summary.topTemplates.map { "\($0.templateId) \($0.name) \($0.prompts)" }.sorted()
            == uses.map { "\($0.key.uuidString.lowercased()) \(names[$0.key] ?? "") \($0.value)" }
            .sorted(), context)
      }
    }
  }
}
