import Foundation
import Jobs
import Vapor

/// Jobs belong to a company (the queue's `tenant`): a tracker's syncs and webhooks to the
/// tracker's company. Jobs with no company are the deployment's own work (output cleanup); the
/// admins of the default company, the deployment's first (its operator's), see those too.
enum JobTenant {
  /// The tenant string of a company's jobs.
  static func of(company id: UUID) -> String {
    id.lowercasedText
  }

  /// The jobs the request's admin may see and change.
  static func scope(for req: Request) async throws -> JobScope {
    let companyID = try req.principal.companyID
    let defaultCompany = try await CompanyService(
      database: req.db, hasher: req.application.passwordHasher
    ).defaultCompany()
    return .tenant(of(company: companyID), withUntenanted: defaultCompany?.id == companyID)
  }
}
