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

/// Usage statistics from `generation_events`, each query a range scan of the
/// `(company_id, timestamp, tokens_in)` index.
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

    // Three independent index range scans, run side by side on separate connections.
    async let totalsRow = sql.raw(
      Self.totalsQuery(companyID, today: today, from: weekStart, to: tomorrow)
    ).first()
    async let ideRows = sql.raw(Self.byIdeQuery(companyID, from: today, to: tomorrow)).all()
    async let templateRows = sql.raw(
      Self.topTemplatesQuery(companyID, from: weekStart, to: tomorrow)
    ).all()
    let totals = try await totalsRow
    let count = try totals?.decode(column: "prompts_today", as: Int.self) ?? 0
    let tokens = try totals?.decode(column: "tokens_today", as: Int.self) ?? 0
    let week = try totals?.decode(column: "prompts_week", as: Int.self) ?? 0
    let byIde = try await ideRows.map {
      IdeCount(
        ide: try $0.decode(column: "ide", as: String?.self) ?? "unknown",
        prompts: try $0.decode(column: "prompts", as: Int.self),
        tokens: try $0.decode(column: "tokens", as: Int.self))
    }
    let top = try await templateRows.map {
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
      totalsQuery(companyID, today: start, from: start, to: end),
      byIdeQuery(companyID, from: start, to: end),
      topTemplatesQuery(companyID, from: start, to: end),
    ]
  }

  /// Today's count and tokens and the week's count, in one pass over the week's index range.
  static func totalsQuery(_ companyID: UUID, today: Date, from start: Date, to end: Date)
    -> SQLQueryString
  {
    """
    SELECT CAST(COALESCE(SUM(CASE WHEN \(ident: "timestamp") >= \(bind: today) THEN 1 ELSE 0 END), 0)
             AS BIGINT) AS prompts_today,
           CAST(COALESCE(SUM(CASE WHEN \(ident: "timestamp") >= \(bind: today) THEN tokens_in
             ELSE 0 END), 0) AS BIGINT) AS tokens_today,
           COUNT(*) AS prompts_week
    FROM generation_events
    WHERE company_id = \(bind: companyID) AND \(ident: "timestamp") >= \(bind: start)
    AND \(ident: "timestamp") < \(bind: end)
    """
  }

  static func byIdeQuery(_ companyID: UUID, from start: Date, to end: Date) -> SQLQueryString {
    """
    SELECT ide, COUNT(*) AS prompts, CAST(COALESCE(SUM(tokens_in), 0) AS BIGINT) AS tokens
    FROM generation_events
    WHERE company_id = \(bind: companyID) AND \(ident: "timestamp") >= \(bind: start)
    AND \(ident: "timestamp") < \(bind: end)
    GROUP BY ide ORDER BY prompts DESC, ide LIMIT 20
    """
  }

  static func topTemplatesQuery(_ companyID: UUID, from start: Date, to end: Date)
    -> SQLQueryString
  {
    """
    SELECT uses.template_id AS template_id, prompt_templates.name AS name, uses.prompts AS prompts
    FROM (SELECT template_id, COUNT(*) AS prompts FROM generation_events
          WHERE company_id = \(bind: companyID) AND \(ident: "timestamp") >= \(bind: start)
          AND \(ident: "timestamp") < \(bind: end)
          GROUP BY template_id ORDER BY prompts DESC LIMIT 5) AS uses
    JOIN prompt_templates ON prompt_templates.id = uses.template_id
    ORDER BY uses.prompts DESC, prompt_templates.name
    """
  }
}
