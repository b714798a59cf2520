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
      templateId: try template.requireID().uuidString.lowercased(), from: range.from,
      to: range.to, tz: range.tz, versions: versions)
  }

  /// Both versions' figures over the same range, b against a.
  func compareTemplateVersions(req: Request) async throws -> TemplateComparisonResponse {
    let principal = try req.principal
    let template = try await req.templates.find(
      try req.idParameter("templateID", "Template"), companyID: principal.companyID)
    let labels = try req.templateLabels
    var compared: [PromptTemplateVersion] = []
    for side in ["a", "b"] {
      guard let reference = try TemplateRoutes.versionReference(req, side) else {
        throw AppError.validation(field: side, reason: "is required: a version number or a label")
      }
      compared.append(try await labels.version(reference, of: template, field: side))
    }
    let range = try Self.qualityRange(req)
    let versions = try await TemplateQualityService(database: req.db).versions(
      of: template, companyID: principal.companyID, window: range.window)
    let figures = compared.map { version in versions.first { $0.version == version.version } }
    guard let a = figures[0], let b = figures[1] else {
      throw AppError.notFound("Template version")
    }
    return TemplateComparison.compare(templateID: try template.requireID(), a: a, b: b)
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
