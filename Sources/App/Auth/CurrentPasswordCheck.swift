import Foundation
import Vapor

/// Re-authentication inside a session: `PATCH /me`'s password change and `POST /me/tokens` ask
/// for the current password, so that a stolen access token alone can neither take the account
/// over nor mint a long-lived credential. Wrong guesses are audited and limited like logins
/// (per account and per network), so a stolen token cannot be used to brute-force it either.
struct CurrentPasswordCheck: Sendable {
  let req: Request

  /// Throws 422 at `currentPassword` when it is wrong, 429 when too many were wrong.
  func verify(_ password: String, of user: User, purpose: String) async throws {
    let limiter = LoginLimiter(
      database: req.db, maximumFailures: req.application.appConfig.loginMaxFailures)
    let userID = try user.requireID()
    let reservation = try await limiter.reserve(
      email: "reauth:" + userID.lowercasedText, ip: req.clientInfo.ip)
    let verified = try await req.application.passwordHasher.verify(
      password, against: user.passwordHash)
    try await limiter.settle(reservation, succeeded: verified)
    guard verified else {
      try await req.audit.record(
        .reauthenticationFailed, client: req.clientInfo, companyID: user.$company.id,
        userID: userID, details: ["purpose": purpose])
      throw AppError.validation(field: "currentPassword", reason: "is not your current password")
    }
  }
}
