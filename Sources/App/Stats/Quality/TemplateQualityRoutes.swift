import Foundation
import Vapor

/// `GET /stats/templates/:templateID` and `…/compare?a&b` (lead and admin).
extension StatsRoutes {
  func templateQuality(req: Request) async throws -> TemplateQualityResponse {
    let principal = try req.principal
    let template = try await req.templates.find(
      try req.idParameter("templateID", "Template"), companyID: principal.companyID)
    let range = try Self.qualityRange(req)
    let versions = try await TemplateQualityService(database: req.db).versions(
      of: template, companyID: principal.companyID, window: range.window)
    return TemplateQualityResponse(
      templateId: try template.requireID().lowercasedText, from: range.from,
      to: range.to, tz: range.tz, versions: versions)
  }

  /// Both versions' figures over the same range, b against a. The references are resolved
  /// against the versions and label stays already loaded for the figures, not with queries
  /// of their own.
  func compareTemplateVersions(req: Request) async throws -> TemplateComparisonResponse {
    let principal = try req.principal
    let template = try await req.templates.find(
      try req.idParameter("templateID", "Template"), companyID: principal.companyID)
    var references: [(side: String, reference: TemplateVersionReference)] = []
    for side in ["a", "b"] {
      guard let reference = try TemplateRoutes.versionReference(req, side) else {
        throw AppError.validation(field: side, reason: "is required: a version number or a label")
      }
      references.append((side, reference))
    }
    let range = try Self.qualityRange(req)
    let versions = try await TemplateQualityService(database: req.db).versions(
      of: template, companyID: principal.companyID, window: range.window)
    let compared = try references.map { side, reference in
      guard
        let number = Self.versionNumber(
          reference, latest: template.latestVersion, versions: versions),
        let version = versions.first(where: { $0.version == number })
      else {
        throw AppError.validation(
          field: side, reason: "names no version of this template (\(reference))")
      }
      return version
    }
    return TemplateComparison.compare(
      templateID: try template.requireID(), a: compared[0], b: compared[1])
  }

  /// The version a reference names: a number, `latest`, or the version a label points to now
  /// (its stay that has not ended).
  static func versionNumber(
    _ reference: TemplateVersionReference, latest: Int, versions: [TemplateVersionQuality]
  ) -> Int? {
    switch reference {
    case .number(let number): return number
    case .label(TemplateLabelName.latest): return latest
    case .label(let label):
      return versions.first { $0.labels.contains { $0.label == label && $0.to == nil } }?.version
    }
  }

  /// `from` and `to` are days of `tz` (a day in `to` counts in full) or RFC 3339 date-times,
  /// taken down to the quarter hour (the finest rollup; every zone's midnight is one); without
  /// them, all time.
  static func qualityRange(_ req: Request) throws
    -> (window: StatsWindow, from: Date?, to: Date?, tz: String)
  {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = try timeZone(req)
    let requestedFrom = try instant(req, "from", calendar: calendar)
    var to = try instant(req, "to", calendar: calendar)
    if let day = to, req.query[String.self, at: "to"]?.count == 10 {
      to = calendar.date(byAdding: .day, value: 1, to: day)
    }
    let quarterHour = { (date: Date) in
      Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 900).rounded(.down) * 900)
    }
    let from = requestedFrom.map(quarterHour)
    to = to.map(quarterHour)
    if let from, let to, from >= to {
      throw AppError.validation(field: "from", reason: "must be before to")
    }
    // All time: whole UTC days from 1970 to the day after tomorrow, past any clock's now.
    let utcDay = 86_400.0
    let later = ((Date().timeIntervalSince1970 / utcDay).rounded(.down) + 2) * utcDay
    let window = StatsWindow(
      from: from ?? Date(timeIntervalSince1970: 0), to: to ?? Date(timeIntervalSince1970: later))
    return (window, from, to, calendar.timeZone.identifier)
  }
}
