import Fluent
import Foundation
import PostgresKit
import SQLKit
import Vapor

struct IdeCount: Content, Equatable {
  let ide: String
  let prompts: Int
  let tokens: Int
}

struct TemplateUse: Content, Equatable {
  let templateId: String
  let name: String
  let prompts: Int
}

struct StatsSummary: Content {
  let promptsToday: Int
  let avgTokens: Double
  let tokensToday: Int
  let promptsLast7Days: Int
  let byIde: [IdeCount]
  let topTemplates: [TemplateUse]
  let timeZone: String
  let since: Date
}

/// Usage statistics of `generation_events`: whole UTC days from the `generation_daily_stats`
/// rollup, partial days from the events' `(company_id, timestamp, …)` index (see `events`).
struct StatsService: Sendable {
  let database: any Database

  func summary(companyID: UUID, timeZone: TimeZone, now: Date = Date()) async throws
    -> StatsSummary
  {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    let today = calendar.startOfDay(for: now)
    let weekStart = calendar.date(byAdding: .day, value: -6, to: today) ?? today
    let tomorrow = calendar.date(byAdding: .day, value: 1, to: today) ?? now
    let rows = try await database.rows(
      Self.statement(
        companyID, day: StatsWindow(from: today, to: tomorrow),
        week: StatsWindow(from: weekStart, to: tomorrow)))
    let ides = try rows.filter { try $0.decode(column: "kind", as: String.self) == "ide" }
    let templates = try rows.filter {
      try $0.decode(column: "kind", as: String.self) == "template"
    }
    let count = try ides.first?.decode(column: "all_prompts", as: Int.self) ?? 0
    let tokens = try ides.first?.decode(column: "all_tokens", as: Int.self) ?? 0
    let week = try templates.first?.decode(column: "all_prompts", as: Int.self) ?? 0
    let byIde = try ides.map {
      IdeCount(
        ide: try $0.decode(column: "ide", as: String?.self) ?? "unknown",
        prompts: try $0.decode(column: "prompts", as: Int.self),
        tokens: try $0.decode(column: "tokens", as: Int.self))
    }
    let top = try templates.map {
      TemplateUse(
        templateId: try $0.decode(column: "template_id", as: UUID.self).lowercasedText,
        name: try $0.decode(column: "name", as: String.self),
        prompts: try $0.decode(column: "prompts", as: Int.self))
    }
    return StatsSummary(
      promptsToday: count, avgTokens: count == 0 ? 0 : Double(tokens) / Double(count),
      tokensToday: tokens, promptsLast7Days: week, byIde: byIde, topTemplates: top,
      timeZone: timeZone.identifier, since: today)
  }

  /// The statement for two windows: the rollup alone when both are whole UTC days (`tz` UTC,
  /// or any zone whose midnights are UTC's), else with the raw events of the partial days.
  /// Exposed so that a test can `EXPLAIN` exactly what runs.
  static func statement(_ companyID: UUID, day: StatsWindow, week: StatsWindow)
    -> any FixedStatement
  {
    day.isWholeDays && week.isWholeDays
      ? WholeDaysSummary(companyID: companyID, day: day, week: week)
      : Summary(companyID: companyID, day: day, week: week)
  }

  /// The whole summary in one statement, rows of two kinds in this order: `ide`, the day's
  /// counts per IDE (at most 20, the most used first), each with the day's total count and
  /// tokens (`all_prompts`, `all_tokens`); then `template`, the week's five most used templates
  /// (among equal counts, the smaller template id), each with the week's total count. The totals
  /// are window sums over all groups, taken before the LIMIT. One statement rather than one per
  /// part: a round trip and a pooled connection fewer per request.
  private static func summarySQL(dayEvents: String, weekEvents: String) -> String {
    """
    SELECT 'ide' AS kind, ide, NULL AS template_id, NULL AS name, prompts, tokens, all_prompts,
      all_tokens, position
    FROM (SELECT ide, CAST(SUM(n) AS BIGINT) AS prompts,
            CAST(COALESCE(SUM(tok), 0) AS BIGINT) AS tokens,
            CAST(SUM(SUM(n)) OVER () AS BIGINT) AS all_prompts,
            CAST(SUM(SUM(tok)) OVER () AS BIGINT) AS all_tokens,
            ROW_NUMBER() OVER (ORDER BY SUM(n) DESC, ide) AS position
          FROM (\(dayEvents)) AS e
          GROUP BY ide ORDER BY prompts DESC, ide LIMIT 20) AS by_ide
    UNION ALL
    SELECT 'template' AS kind, NULL AS ide, uses.template_id, prompt_templates.name,
      uses.prompts, 0 AS tokens, uses.all_prompts, 0 AS all_tokens,
      ROW_NUMBER() OVER (ORDER BY uses.prompts DESC, prompt_templates.name) AS position
    FROM (SELECT template_id, CAST(SUM(n) AS BIGINT) AS prompts,
            CAST(SUM(SUM(n)) OVER () AS BIGINT) AS all_prompts
          FROM (\(weekEvents)) AS e
          GROUP BY template_id ORDER BY prompts DESC, template_id LIMIT 5) AS uses
    JOIN prompt_templates ON prompt_templates.id = uses.template_id
    ORDER BY kind, position
    """
  }

  /// Windows of whole UTC days: the rollup alone. PostgreSQL plans this one once and keeps the
  /// plan (a generic plan); with the raw events' ranges in it, it judged its generic plan too
  /// costly and planned every execution anew, 16 % of the machine's CPU under 16 connections
  /// (`perf record -a`, 2026-11-26).
  struct WholeDaysSummary: FixedStatement {
    static let sql = summarySQL(dayEvents: rollup(from: 2), weekEvents: rollup(from: 4))
    let companyID: UUID
    let day: StatsWindow
    let week: StatsWindow

    var values: [BoundValue] {
      [
        .uuid(companyID), .int(day.firstDay), .int(day.endDay), .int(week.firstDay),
        .int(week.endDay),
      ]
    }
  }

  /// Any windows: whole UTC days from the rollup, partial days from the raw events.
  struct Summary: FixedStatement {
    static let sql = summarySQL(dayEvents: events(from: 2), weekEvents: events(from: 8))
    let companyID: UUID
    /// The day's window (IDE counts) and the week's (top templates).
    let day: StatsWindow
    let week: StatsWindow

    var values: [BoundValue] {
      [.uuid(companyID)] + day.boundValues + week.boundValues
    }
  }

  /// The rollup's rows of the whole UTC days `[$first, $first+1)` as `(template_id, ide, n, tok)`;
  /// `$1` is the company.
  static func rollup(from first: Int) -> String {
    """
    SELECT template_id, CASE WHEN ide_key = '' THEN NULL ELSE SUBSTR(ide_key, 2) END AS ide,
      prompts AS n, tokens AS tok
    FROM generation_daily_stats
    WHERE company_id = $1 AND day >= $\(first) AND day < $\(first + 1)
    """
  }

  /// The events of a window as rows `(template_id, ide, n, tok)`: whole UTC days from the
  /// `generation_daily_stats` rollup (one row per day, template and IDE), the partial days at
  /// either end from `generation_events` itself (one row per event, through the
  /// `(company_id, timestamp, tokens_in, template_id, ide)` index). The sums are the same as over
  /// the events alone, for any time zone. All three parts are always there, empty or not: a
  /// prepared statement's text cannot vary with the window (`WholeDaysSummary` is the rollup
  /// alone). `$1` is the company; `$first`, `$first+1` the whole UTC days; the next four the partial days
  /// at either end (`StatsWindow`).
  static func events(from first: Int) -> String {
    let head = (first + 2, first + 3)
    let tail = (first + 4, first + 5)
    return """
      \(rollup(from: first))
      UNION ALL
      SELECT template_id, ide, 1 AS n, tokens_in AS tok FROM generation_events
      WHERE company_id = $1 AND "timestamp" >= $\(head.0) AND "timestamp" < $\(head.1)
      UNION ALL
      SELECT template_id, ide, 1 AS n, tokens_in AS tok FROM generation_events
      WHERE company_id = $1 AND "timestamp" >= $\(tail.0) AND "timestamp" < $\(tail.1)
      """
  }
}

/// How a time range splits into whole UTC days and the partial days at either end.
struct StatsWindow: Equatable, Sendable {
  let start: Date
  let end: Date
  /// The whole days `[firstDay, endDay)`, as days since 1970-01-01 UTC; empty when equal.
  let firstDay: Int
  let endDay: Int
  /// The partial days: `[start, headEnd)` and `[tailStart, end)`.
  let headEnd: Date
  let tailStart: Date

  /// The six parameters `StatsService.events(from:)` reads for this window: the whole days,
  /// then the bounds of the partial days at either end.
  var boundValues: [BoundValue] {
    [
      .int(firstDay), .int(endDay), .date(start), .date(headEnd), .date(tailStart), .date(end),
    ]
  }

  /// Whole UTC days only, no partial day at either end.
  var isWholeDays: Bool { firstDay < endDay && headEnd == start && tailStart == end }

  init(from start: Date, to end: Date) {
    self.start = start
    self.end = end
    let day = 86_400.0
    let first = (start.timeIntervalSince1970 / day).rounded(.up)
    let last = (end.timeIntervalSince1970 / day).rounded(.down)
    if first < last {
      firstDay = Int(first)
      endDay = Int(last)
      headEnd = Date(timeIntervalSince1970: first * day)
      tailStart = Date(timeIntervalSince1970: last * day)
    } else {
      firstDay = 0
      endDay = 0
      headEnd = end
      tailStart = end
    }
  }
}
