import Foundation
import Vapor

/// `GET /stats/summary?tz=Area/City`, `GET /stats/timeseries`, `GET /stats/templates/:id` and
/// its `compare` (lead and admin).
struct StatsRoutes: RouteCollection {
  func boot(routes: any RoutesBuilder) throws {
    let stats = routes.grouped("stats").grouped(RequireRole(.lead))
    stats.get("summary", use: summary)
    stats.get("timeseries", use: timeseries)
    stats.get("templates", ":templateID", use: templateQuality)
    stats.get("templates", ":templateID", "compare", use: compareTemplateVersions)
  }

  static func timeZone(_ req: Request) throws -> TimeZone {
    guard let name = req.query[String.self, at: "tz"] else { return TimeZone(identifier: "UTC")! }
    guard let named = TimeZone(identifier: name) else {
      throw AppError.validation(field: "tz", reason: "is not a time zone name such as Europe/Paris")
    }
    return named
  }

  func summary(req: Request) async throws -> Response {
    let principal = try req.principal
    let timeZone = try Self.timeZone(req)
    let summary = try await StatsService(database: req.db)
      .summary(companyID: principal.companyID, timeZone: timeZone)
    let response = Response(status: .ok)
    try response.content.encode(summary)
    return response
  }
}

extension StatsRoutes {
  /// `from` and `to` are RFC 3339 date-times or days (`2026-12-05`, midnight in `tz`); by
  /// default the last 30 days, today included. Days are whole days of `tz`: `from` goes back to
  /// its day's start and `to` forward to its day's end.
  func timeseries(req: Request) async throws -> TimeseriesResponse {
    let principal = try req.principal
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = try Self.timeZone(req)
    let rawGrouping = req.query[String.self, at: "groupBy"] ?? "day"
    guard let grouping = TimeseriesGrouping(rawValue: rawGrouping) else {
      throw AppError.validation(field: "groupBy", reason: "must be day, template or ide")
    }
    let today = calendar.startOfDay(for: Date())
    var to =
      try Self.instant(req, "to", calendar: calendar)
      ?? calendar.date(byAdding: .day, value: 1, to: today)!
    var from =
      try Self.instant(req, "from", calendar: calendar)
      ?? calendar.date(byAdding: .day, value: -30, to: to)!
    if grouping == .day {
      from = calendar.startOfDay(for: from)
      if calendar.startOfDay(for: to) != to {
        to = calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: to))!
      }
    }
    guard from < to else { throw AppError.validation(field: "from", reason: "must be before to") }
    guard to.timeIntervalSince(from) <= Double(StatsTimeseries.maximumDays + 1) * 86_400 else {
      throw AppError.validation(
        field: "from", reason: "the range may span at most \(StatsTimeseries.maximumDays) days")
    }
    let buckets = try await StatsTimeseries(database: req.db).series(
      companyID: principal.companyID, from: from, to: to, calendar: calendar, groupBy: grouping)
    return TimeseriesResponse(
      from: from, to: to, tz: req.query[String.self, at: "tz"] ?? "UTC", groupBy: grouping.rawValue,
      buckets: buckets)
  }

  static func instant(_ req: Request, _ name: String, calendar: Calendar) throws -> Date? {
    guard let raw = req.query[String.self, at: name] else { return nil }
    if let date = RFC3339.date(from: raw) { return date }
    let parts = raw.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
    if raw.count == 10, parts.count == 3, let year = parts[0], let month = parts[1],
      let day = parts[2],
      let date = calendar.date(from: DateComponents(year: year, month: month, day: day)),
      calendar.component(.day, from: date) == day
    {
      return date
    }
    throw AppError.validation(
      field: name, reason: "must be a day (2026-12-05) or an RFC 3339 date-time")
  }
}
