import Foundation
import Jobs
import Vapor

/// `GET /stats/jobs?from&to&tz` (admin): the jobs dashboard's numbers for the admin's jobs.
struct JobStatsRoutes: RouteCollection {
  /// The longest range asked at once: a month of hours.
  static let maximumHours = 31 * 24

  func boot(routes: any RoutesBuilder) throws {
    routes.grouped("stats").grouped(RequireRole(.admin)).get("jobs", use: stats)
  }

  /// `from` and `to` are RFC 3339 date-times or days (midnight in `tz`), widened to whole hours
  /// of `tz`; by default the last 24 hours, the current one included.
  func stats(req: Request) async throws -> JobStatsResponse {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = try StatsRoutes.timeZone(req)
    let hourAfterNow = calendar.dateInterval(of: .hour, for: Date())!.end
    let to =
      try StatsRoutes.instant(req, "to", calendar: calendar).map {
        Self.hourStart(calendar, $0) == $0 ? $0 : calendar.dateInterval(of: .hour, for: $0)!.end
      } ?? hourAfterNow
    let from = Self.hourStart(
      calendar,
      try StatsRoutes.instant(req, "from", calendar: calendar) ?? to.addingTimeInterval(-86_400))
    guard from < to else { throw AppError.validation(field: "from", reason: "must be before to") }
    guard to.timeIntervalSince(from) <= Double(Self.maximumHours) * 3_600 else {
      throw AppError.validation(
        field: "from", reason: "the range may span at most \(Self.maximumHours / 24) days")
    }
    let queue = req.application.jobs.queue
    let scope = try await JobTenant.scope(for: req)
    async let counts = queue.countsByStateAndKind(from: from, to: to, in: scope)
    async let quarters = queue.outcomesPerQuarterHour(from: from, to: to, in: scope)
    return JobStatsResponse(
      from: from, to: to, tz: req.query[String.self, at: "tz"] ?? "UTC",
      counts: try await counts.map {
        JobStatsResponse.Count(state: $0.state.rawValue, kind: $0.kind.rawValue, count: $0.count)
      },
      hourly: Self.hours(from: from, to: to, calendar: calendar, quarters: try await quarters))
  }

  static func hourStart(_ calendar: Calendar, _ date: Date) -> Date {
    calendar.dateInterval(of: .hour, for: date)!.start
  }

  /// Every hour of `tz` in `[from, to)`, zeros included, with the quarter hours that fall in it
  /// added up (each zone's offset is a whole number of quarter hours).
  static func hours(
    from: Date, to: Date, calendar: Calendar, quarters: [JobQuarterOutcomes]
  ) -> [JobStatsResponse.Hour] {
    var hours: [JobStatsResponse.Hour] = []
    var start = from
    while start < to {
      hours.append(.init(start: start, finished: 0, failed: 0))
      start = calendar.date(byAdding: .hour, value: 1, to: start) ?? to
    }
    var index = 0
    for quarter in quarters {
      let time = Date(timeIntervalSince1970: Double(quarter.quarter * JobQueue.quarterHour))
      while index + 1 < hours.count, hours[index + 1].start <= time { index += 1 }
      guard !hours.isEmpty, hours[index].start <= time else { continue }
      hours[index].finished += quarter.succeeded
      hours[index].failed += quarter.failed
    }
    return hours
  }
}

struct JobStatsResponse: Content {
  struct Count: Content, Hashable {
    let state: String
    let kind: String
    let count: Int
  }

  struct Hour: Content, Equatable {
    let start: Date
    /// Jobs that succeeded in the hour.
    var finished: Int
    /// Jobs whose latest attempt failed in the hour.
    var failed: Int
  }

  let from: Date
  let to: Date
  let tz: String
  /// Jobs still to run, whatever their age, and jobs that ended within the window.
  let counts: [Count]
  let hourly: [Hour]
}
