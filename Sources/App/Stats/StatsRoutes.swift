import Foundation
import Vapor

/// `GET /stats/summary?tz=Area/City` (lead and admin).
struct StatsRoutes: RouteCollection {
  func boot(routes: any RoutesBuilder) throws {
    routes.grouped("stats").grouped(RequireRole(.lead)).get("summary", use: summary)
  }

  func summary(req: Request) async throws -> Response {
    let principal = try req.principal
    var timeZone = TimeZone(identifier: "UTC")!
    if let name = req.query[String.self, at: "tz"] {
      guard let named = TimeZone(identifier: name) else {
        throw AppError.validation(
          field: "tz", reason: "is not a time zone name such as Europe/Paris")
      }
      timeZone = named
    }
    let summary = try await StatsService(database: req.db)
      .summary(companyID: principal.companyID, timeZone: timeZone)
    let response = Response(status: .ok)
    try response.content.encode(summary)
    return response
  }
}
