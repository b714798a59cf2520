import Fluent
import Foundation
import Trackers

/// The deployment's own Teamwork key (`TEAMWORK_API_KEY`, `TEAMWORK_BASE_URL`).
///
/// A deployment secret is never used for another tenant's request: only a tracker of the
/// default company (the single-company case the variable exists for) whose base URL has the
/// configured site's origin may use it. Without `TEAMWORK_BASE_URL` it is never used.
struct DeploymentTeamworkKey: Sendable {
  let apiKey: String
  let siteURL: String?

  /// The key for a tracker at `baseURL` of `companyID`, or nil when it may not have it.
  func key(for baseURL: String, companyID: UUID, on database: any Database) async throws
    -> String?
  {
    guard let siteURL, let site = OutboundPolicy.origin(of: siteURL),
      OutboundPolicy.origin(of: baseURL) == site
    else { return nil }
    let defaultCompany = try await Company.defaultCompany(on: database)
    return defaultCompany?.id == companyID ? apiKey : nil
  }
}
