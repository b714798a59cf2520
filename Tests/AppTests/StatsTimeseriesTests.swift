import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// `GET /stats/timeseries` must give the numbers of the raw events, per day of any time zone
/// (from the quarter-hour rollup), per template and per IDE.
@Suite struct StatsTimeseriesTests {
  struct Series: Decodable {
    struct Bucket: Decodable {
      let key: String?
      let label: String
      let prompts: Int
      let tokens: Int
    }
    let from: Date
    let to: Date
    let tz: String
    let groupBy: String
    let buckets: [Bucket]
  }

  static func series(_ f: CoreLoopTests.Fixture, _ query: String) async throws -> Series {
    let response = try await f.ctx.send(.GET, "/stats/timeseries?\(query)", token: f.lead)
    #expect(response.status == .ok, "\(query): \(response.bodyString)")
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return try decoder.decode(Series.self, from: Data(buffer: response.body))
  }

  @Test(arguments: TestDatabase.all)
  func daysOfEveryTimeZoneAddUpTheRawEvents(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let (_, f) = try await StatsRollupTests.seedEventsAroundDayBoundaries(ctx)
      let events = try await GenerationEvent.query(on: ctx.app.db).all()
      for check in 0..<2 {
        if check == 1 {
          // the backfill of existing events gives the same numbers as the trigger
          try await CreateGenerationQuarterStats().revert(on: ctx.app.db)
          try await CreateGenerationQuarterStats().prepare(on: ctx.app.db)
        }
        for name in StatsRollupTests.timeZones {
          var calendar = Calendar(identifier: .gregorian)
          calendar.timeZone = try #require(TimeZone(identifier: name))
          // act
          let series = try await Self.series(f, "tz=\(name)&from=2026-03-18&to=2026-04-01")
          // check: 14 days (to is exclusive at its midnight), each the events of that day
          #expect(series.buckets.count == 14, "\(name)")
          #expect(series.buckets.first?.key == "2026-03-18")
          #expect(series.tz == name && series.groupBy == "day")
          for bucket in series.buckets {
            let parts = (bucket.key ?? "").split(separator: "-").compactMap { Int($0) }
            let start = try #require(
              calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])))
            let end = try #require(calendar.date(byAdding: .day, value: 1, to: start))
            let day = events.filter { $0.timestamp >= start && $0.timestamp < end }
            #expect(bucket.prompts == day.count, "\(name) \(bucket.label)")
            #expect(bucket.tokens == day.map(\.tokensIn).reduce(0, +), "\(name) \(bucket.label)")
          }
        }
      }
    }
  }

  @Test(arguments: TestDatabase.all)
  func templatesAndIDEsOfARangeAddUpTheRawEvents(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let (reference, f) = try await StatsRollupTests.seedEventsAroundDayBoundaries(ctx)
      let events = try await GenerationEvent.query(on: ctx.app.db).all()
      // a range that starts and ends mid-day: partial days from the raw events
      let from = reference.addingTimeInterval(-4.5 * 86_400)
      let to = reference.addingTimeInterval(0.25 * 86_400)
      let inRange = events.filter { $0.timestamp >= from && $0.timestamp < to }
      let range = "from=\(from.formatted(.iso8601))&to=\(to.formatted(.iso8601))"
      // act
      let byIDE = try await Self.series(f, "groupBy=ide&" + range)
      let byTemplate = try await Self.series(f, "groupBy=template&" + range)
      // check
      var ides: [String: (Int, Int)] = [:]
      var templates: [String: (Int, Int)] = [:]
      for event in inRange {
        ides[event.ide ?? "nil", default: (0, 0)].0 += 1
        ides[event.ide ?? "nil", default: (0, 0)].1 += event.tokensIn
        let template = event.$template.id.uuidString.lowercased()
        templates[template, default: (0, 0)].0 += 1
        templates[template, default: (0, 0)].1 += event.tokensIn
      }
      #expect(
        byIDE.buckets.map { "\($0.key ?? "nil") \($0.prompts) \($0.tokens)" }.sorted()
          == ides.map { "\($0.key) \($0.value.0) \($0.value.1)" }.sorted())
      #expect(
        byTemplate.buckets.map { "\($0.key ?? "") \($0.prompts) \($0.tokens)" }.sorted()
          == templates.map { "\($0.key) \($0.value.0) \($0.value.1)" }.sorted())
      #expect(byTemplate.buckets.map(\.prompts) == byTemplate.buckets.map(\.prompts).sorted(by: >))
      #expect(Set(byTemplate.buckets.map(\.label)) == ["alpha", "beta", "gamma"])
    }
  }

  @Test func badRangesAreRefusedWithTheirField() async throws {
    try await withTestApp(.sqlite) { ctx in
      let f = try await CoreLoopTests.fixture(ctx)
      for (query, field) in [
        ("groupBy=week", "groupBy"), ("from=2026-02-30", "from"), ("to=yesterday", "to"),
        ("from=2026-03-10&to=2026-03-01", "from"), ("from=2020-01-01&to=2026-01-01", "from"),
        ("tz=Mars/Olympus", "tz"),
      ] {
        let response = try await ctx.send(.GET, "/stats/timeseries?\(query)", token: f.lead)
        #expect(response.status == .unprocessableEntity, "\(query)")
        #expect(response.problem?.errors?.first?.field == field, "\(query)")
      }
      // the default: 30 days up to today, zeros included
      let series = try await Self.series(f, "")
      #expect(series.buckets.count == 30)
      #expect(series.buckets.allSatisfy { $0.prompts == 0 })
    }
  }
}
