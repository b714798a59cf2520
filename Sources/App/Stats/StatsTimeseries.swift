import Fluent
import Foundation
import PostgresKit
import SQLKit
import Vapor

/// `GET /stats/timeseries`: prompts and tokens per day of a time zone, per template or per IDE.
struct TimeseriesResponse: Content {
  let from: Date
  let to: Date
  let tz: String
  let groupBy: String
  let buckets: [TimeseriesBucket]
}

struct TimeseriesBucket: Content, Equatable {
  /// The day (`2026-12-05`), the template's id or the IDE; null for generations that named no
  /// IDE (an IDE may be called anything, so no name can stand for none).
  let key: String?
  /// What a person reads: the day, the template's name, the IDE (`(no IDE)` for none).
  let label: String
  let prompts: Int
  let tokens: Int

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(key, forKey: .key)
    try container.encode(label, forKey: .label)
    try container.encode(prompts, forKey: .prompts)
    try container.encode(tokens, forKey: .tokens)
  }
}

enum TimeseriesGrouping: String, Sendable {
  case day, template, ide
}

/// Days add up the quarter-hour rollup (`generation_quarter_stats`), so any zone's days are
/// exact; templates and IDEs the daily rollup plus the raw events of the partial days at
/// either end, as `StatsService.summary` does.
struct StatsTimeseries: Sendable {
  let database: any Database
  /// The longest range asked at once: a year of days.
  static let maximumDays = 366
  /// Templates or IDEs beyond the most used are left out.
  static let maximumGroups = 50

  func series(
    companyID: UUID, from: Date, to: Date, calendar: Calendar, groupBy: TimeseriesGrouping
  ) async throws -> [TimeseriesBucket] {
    switch groupBy {
    case .day: try await days(companyID: companyID, from: from, to: to, calendar: calendar)
    case .template, .ide: try await groups(companyID: companyID, from: from, to: to, by: groupBy)
    }
  }

  /// Each run of the range with one UTC offset (a daylight saving change starts a new run) is
  /// summed per local day in SQL: `(quarter × 900 + offset) / 86400` is the local day's number,
  /// so at most a few dozen rows come back whatever the range.
  private func days(companyID: UUID, from: Date, to: Date, calendar: Calendar) async throws
    -> [TimeseriesBucket]
  {
    let quarter = CreateGenerationQuarterStats.quarter
    var totals: [Int: (prompts: Int, tokens: Int)] = [:]
    for run in Self.constantOffsetRuns(from: from, to: to, timeZone: calendar.timeZone) {
      let rows = try await database.rows(
        LocalDays(
          companyID: companyID,
          first: Int((run.start.timeIntervalSince1970 / Double(quarter)).rounded(.down)),
          end: Int((run.end.timeIntervalSince1970 / Double(quarter)).rounded(.up)),
          offset: run.offset))
      for row in rows {
        let day = try row.decode(column: "day", as: Int.self)
        totals[day, default: (0, 0)].prompts += try row.decode(column: "prompts", as: Int.self)
        totals[day, default: (0, 0)].tokens += try row.decode(column: "tokens", as: Int.self)
      }
    }
    var buckets: [TimeseriesBucket] = []
    var day = from
    let utc = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!).year().month().day()
    while day < to {
      // the local day's number: its local midnight read as if it were UTC
      let offset = calendar.timeZone.secondsFromGMT(for: day)
      let number = Int(((day.timeIntervalSince1970 + Double(offset)) / 86_400).rounded(.down))
      let key = Date(timeIntervalSince1970: Double(number) * 86_400).formatted(utc)
      let total = totals[number] ?? (0, 0)
      buckets.append(
        TimeseriesBucket(key: key, label: key, prompts: total.prompts, tokens: total.tokens))
      day = calendar.date(byAdding: .day, value: 1, to: day) ?? to
    }
    return buckets
  }

  /// The range cut where the zone's UTC offset changes.
  static func constantOffsetRuns(from: Date, to: Date, timeZone: TimeZone)
    -> [(start: Date, end: Date, offset: Int)]
  {
    var runs: [(start: Date, end: Date, offset: Int)] = []
    var start = from
    while start < to {
      let change = timeZone.nextDaylightSavingTimeTransition(after: start).map { min($0, to) } ?? to
      runs.append((start, change, timeZone.secondsFromGMT(for: start)))
      start = change
    }
    return runs
  }

  private func groups(companyID: UUID, from: Date, to: Date, by grouping: TimeseriesGrouping)
    async throws -> [TimeseriesBucket]
  {
    let values = [.uuid(companyID)] + StatsWindow(from: from, to: to).boundValues
    if grouping == .template {
      return try await database.rows(ByTemplate(values: values)).map {
        TimeseriesBucket(
          key: try $0.decode(column: "template_id", as: UUID.self).lowercasedText,
          label: try $0.decode(column: "name", as: String.self),
          prompts: try $0.decode(column: "prompts", as: Int.self),
          tokens: try $0.decode(column: "tokens", as: Int.self))
      }
    }
    return try await database.rows(ByIDE(values: values)).map {
      let ide = try $0.decode(column: "ide", as: String?.self)
      return TimeseriesBucket(
        key: ide, label: ide ?? "(no IDE)", prompts: try $0.decode(column: "prompts", as: Int.self),
        tokens: try $0.decode(column: "tokens", as: Int.self))
    }
  }

  /// Company `$1`'s quarter hours `[$2, $3)` summed per local day, `$4` being the zone's offset
  /// from UTC in seconds over that range (epoch seconds are positive: integer division floors).
  struct LocalDays: FixedStatement {
    static let sql = """
      SELECT (quarter * \(CreateGenerationQuarterStats.quarter) + $4) / 86400 AS day,
        CAST(SUM(prompts) AS BIGINT) AS prompts, CAST(SUM(tokens) AS BIGINT) AS tokens
      FROM generation_quarter_stats
      WHERE company_id = $1 AND quarter >= $2 AND quarter < $3
      GROUP BY 1 ORDER BY 1
      """
    let companyID: UUID
    let first: Int
    let end: Int
    let offset: Int
    var values: [BoundValue] { [.uuid(companyID), .int(first), .int(end), .int(offset)] }
  }

  struct ByTemplate: FixedStatement {
    static let sql = """
      SELECT uses.template_id, prompt_templates.name, uses.prompts, uses.tokens
      FROM (SELECT template_id, CAST(SUM(n) AS BIGINT) AS prompts,
              CAST(COALESCE(SUM(tok), 0) AS BIGINT) AS tokens
            FROM (\(StatsService.events(from: 2))) AS e
            GROUP BY template_id ORDER BY prompts DESC, template_id
            LIMIT \(StatsTimeseries.maximumGroups)) AS uses
      JOIN prompt_templates ON prompt_templates.id = uses.template_id
      ORDER BY uses.prompts DESC, prompt_templates.name
      """
    let values: [BoundValue]
  }

  struct ByIDE: FixedStatement {
    static let sql = """
      SELECT ide, CAST(SUM(n) AS BIGINT) AS prompts, CAST(COALESCE(SUM(tok), 0) AS BIGINT) AS tokens
      FROM (\(StatsService.events(from: 2))) AS e
      GROUP BY ide ORDER BY prompts DESC, ide LIMIT \(StatsTimeseries.maximumGroups)
      """
    let values: [BoundValue]
  }
}
