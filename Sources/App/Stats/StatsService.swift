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
    // Two independent queries, run side by side on separate connections. The totals come
    // with them (window sums over all groups, taken before the LIMIT), not from a third query.
    async let ideRows = database.rows(ByIde(companyID: companyID, from: today, to: tomorrow))
    async let templateRows = database.rows(
      TopTemplates(companyID: companyID, from: weekStart, to: tomorrow))
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

  /// The statistics statements, exposed so that a test can `EXPLAIN` exactly what runs.
  static func statements(_ companyID: UUID, from start: Date, to end: Date)
    -> [any FixedStatement]
  {
    [
      ByIde(companyID: companyID, from: start, to: end),
      TopTemplates(companyID: companyID, from: start, to: end),
    ]
  }

  /// The window's counts per IDE (at most 20), each row with the window's total count and
  /// tokens (`all_prompts`, `all_tokens`).
  struct ByIde: WindowStatement {
    static let sql = """
      SELECT ide, CAST(SUM(n) AS BIGINT) AS prompts, CAST(COALESCE(SUM(tok), 0) AS BIGINT) AS tokens,
        CAST(SUM(SUM(n)) OVER () AS BIGINT) AS all_prompts,
        CAST(SUM(SUM(tok)) OVER () AS BIGINT) AS all_tokens
      FROM (\(events)) AS e
      GROUP BY ide ORDER BY prompts DESC, ide LIMIT 20
      """
    let companyID: UUID
    let window: StatsWindow
  }

  /// The five most used templates (among equal counts, the smaller template id), each row with
  /// the window's total count (`all_prompts`).
  struct TopTemplates: WindowStatement {
    static let sql = """
      SELECT uses.template_id AS template_id, prompt_templates.name AS name,
        uses.prompts AS prompts, uses.all_prompts AS all_prompts
      FROM (SELECT template_id, CAST(SUM(n) AS BIGINT) AS prompts,
              CAST(SUM(SUM(n)) OVER () AS BIGINT) AS all_prompts
            FROM (\(events)) AS e
            GROUP BY template_id ORDER BY prompts DESC, template_id LIMIT 5) AS uses
      JOIN prompt_templates ON prompt_templates.id = uses.template_id
      ORDER BY uses.prompts DESC, prompt_templates.name
      """
    let companyID: UUID
    let window: StatsWindow
  }

  /// The events of a window as rows `(template_id, ide, n, tok)`: whole UTC days from the
  /// `generation_daily_stats` rollup (one row per day, template and IDE), the partial days at
  /// either end from `generation_events` itself (one row per event, through the
  /// `(company_id, timestamp, tokens_in, template_id, ide)` index). The sums are the same as over
  /// the events alone, for any time zone. All three parts are always there, one of them empty in
  /// UTC: a prepared statement is planned once, so the text must not vary with the window.
  fileprivate static let events = """
    SELECT template_id, CASE WHEN ide_key = '' THEN NULL ELSE SUBSTR(ide_key, 2) END AS ide,
      prompts AS n, tokens AS tok
    FROM generation_daily_stats WHERE company_id = $1 AND day >= $2 AND day < $3
    UNION ALL
    SELECT template_id, ide, 1 AS n, tokens_in AS tok FROM generation_events
    WHERE company_id = $1 AND "timestamp" >= $4 AND "timestamp" < $5
    UNION ALL
    SELECT template_id, ide, 1 AS n, tokens_in AS tok FROM generation_events
    WHERE company_id = $1 AND "timestamp" >= $6 AND "timestamp" < $7
    """
}

/// A statistics query over a window: `$1` the company, `$2`–`$3` the whole UTC days, `$4`–`$7`
/// the partial days at either end (`StatsWindow`).
protocol WindowStatement: FixedStatement {
  var companyID: UUID { get }
  var window: StatsWindow { get }
  init(companyID: UUID, window: StatsWindow)
}

extension WindowStatement {
  init(companyID: UUID, from start: Date, to end: Date) {
    self.init(companyID: companyID, window: StatsWindow(from: start, to: end))
  }

  static var parameterTypes: [PostgresDataType] {
    [.uuid, .int8, .int8, .timestamptz, .timestamptz, .timestamptz, .timestamptz]
  }

  var values: [BoundValue] {
    [
      .uuid(companyID), .int(window.firstDay), .int(window.endDay), .date(window.start),
      .date(window.headEnd), .date(window.tailStart), .date(window.end),
    ]
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
