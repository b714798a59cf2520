import Fluent
import Foundation
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
    let sql = database as! any SQLDatabase

    // Two independent queries, run side by side on separate connections. The totals come
    // with them (window sums over all groups, taken before the LIMIT), not from a third query:
    // PostgreSQL's parsing and planning were a fifth of its CPU here (perf record -a, 2026-11-26).
    async let ideRows = sql.raw(Self.byIdeQuery(companyID, from: today, to: tomorrow)).all()
    async let templateRows = sql.raw(
      Self.topTemplatesQuery(companyID, from: weekStart, to: tomorrow)
    ).all()
    let ides = try await ideRows
    let templates = try await templateRows
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
        templateId: try $0.decode(column: "template_id", as: UUID.self).uuidString.lowercased(),
        name: try $0.decode(column: "name", as: String.self),
        prompts: try $0.decode(column: "prompts", as: Int.self))
    }
    return StatsSummary(
      promptsToday: count, avgTokens: count == 0 ? 0 : Double(tokens) / Double(count),
      tokensToday: tokens, promptsLast7Days: week, byIde: byIde, topTemplates: top,
      timeZone: timeZone.identifier, since: today)
  }

  /// The statistics queries, exposed so that a test can `EXPLAIN` exactly what runs.
  static func queries(_ companyID: UUID, from start: Date, to end: Date) -> [SQLQueryString] {
    [
      byIdeQuery(companyID, from: start, to: end),
      topTemplatesQuery(companyID, from: start, to: end),
    ]
  }

  /// The window's counts per IDE (at most 20), each row with the window's total count and
  /// tokens (`all_prompts`, `all_tokens`).
  static func byIdeQuery(_ companyID: UUID, from start: Date, to end: Date) -> SQLQueryString {
    """
    SELECT ide, CAST(SUM(n) AS BIGINT) AS prompts, CAST(COALESCE(SUM(tok), 0) AS BIGINT) AS tokens,
      CAST(SUM(SUM(n)) OVER () AS BIGINT) AS all_prompts,
      CAST(SUM(SUM(tok)) OVER () AS BIGINT) AS all_tokens
    FROM (\(events(companyID, from: start, to: end))) AS e
    GROUP BY ide ORDER BY prompts DESC, ide LIMIT 20
    """
  }

  /// The five most used templates (among equal counts, the smaller template id), each row with
  /// the window's total count (`all_prompts`).
  static func topTemplatesQuery(_ companyID: UUID, from start: Date, to end: Date)
    -> SQLQueryString
  {
    """
    SELECT uses.template_id AS template_id, prompt_templates.name AS name, uses.prompts AS prompts,
      uses.all_prompts AS all_prompts
    FROM (SELECT template_id, CAST(SUM(n) AS BIGINT) AS prompts,
            CAST(SUM(SUM(n)) OVER () AS BIGINT) AS all_prompts
          FROM (\(events(companyID, from: start, to: end))) AS e
          GROUP BY template_id ORDER BY prompts DESC, template_id LIMIT 5) AS uses
    JOIN prompt_templates ON prompt_templates.id = uses.template_id
    ORDER BY uses.prompts DESC, prompt_templates.name
    """
  }

  /// The events of `[start, end)` as rows `(template_id, ide, n, tok)`: whole UTC
  /// days from the `generation_daily_stats` rollup (one row per day, template and IDE), the
  /// partial days at either end from `generation_events` itself (one row per event, through the
  /// `(company_id, timestamp, tokens_in, template_id, ide)` index). The sums are the same as over
  /// the events alone, for any time zone. Only the parts with something in their range are
  /// written: in UTC the whole week is one scan of the rollup, and PostgreSQL plans no union
  /// (planning a three-part union for each of the three queries was a fifth of its CPU on this
  /// endpoint; `perf record -a`, 2026-11-26).
  static func events(_ companyID: UUID, from start: Date, to end: Date) -> SQLQueryString {
    let range = StatsWindow(from: start, to: end)
    var parts: [SQLQueryString] = []
    if range.firstDay < range.endDay {
      parts.append(
        """
        SELECT template_id, CASE WHEN ide_key = '' THEN NULL ELSE SUBSTR(ide_key, 2) END AS ide,
          prompts AS n, tokens AS tok
        FROM generation_daily_stats
        WHERE company_id = \(bind: companyID) AND day >= \(bind: range.firstDay)
        AND day < \(bind: range.endDay)
        """)
    }
    for (from, to) in [(start, range.headEnd), (range.tailStart, end)]
    where from < to || parts.isEmpty {
      parts.append(
        """
        SELECT template_id, ide, 1 AS n, tokens_in AS tok FROM generation_events
        WHERE company_id = \(bind: companyID) AND "timestamp" >= \(bind: from)
        AND "timestamp" < \(bind: to)
        """)
    }
    return parts.joined(separator: " UNION ALL ")
  }
}

/// How a time range splits into whole UTC days and the partial days at either end.
struct StatsWindow: Equatable {
  /// The whole days `[firstDay, endDay)`, as days since 1970-01-01 UTC; empty when equal.
  let firstDay: Int
  let endDay: Int
  /// The partial days: `[start, headEnd)` and `[tailStart, end)`.
  let headEnd: Date
  let tailStart: Date

  init(from start: Date, to end: Date) {
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
