import Fluent
import Foundation

/// Refuses logins after too many recent failures for the attempted e-mail (whether or not an
/// account has it, so that a lock reveals nothing) or from the client's IP. The failures are the
/// audit trail's own `auth.login.failed` rows, so the limit holds across API processes.
struct LoginLimiter: Sendable {
  static let window: TimeInterval = 15 * 60

  let database: any Database
  let maximumFailures: Int

  /// Throws 429 with `Retry-After` when the e-mail or the IP is over the limit.
  func check(email: String, ip: String?, now: Date = Date()) async throws {
    guard maximumFailures > 0 else { return }
    let since = now.addingTimeInterval(-Self.window)
    var oldest: [Date] = []
    for (field, value) in [(\AuditEvent.$attemptedEmail, email), (\AuditEvent.$ip, ip)] {
      guard let value else { continue }
      let failures = try await AuditEvent.query(on: database)
        .filter(field == value)
        .filter(\.$action == AuditAction.loginFailed.rawValue)
        .filter(\.$createdAt >= since)
        .sort(\.$createdAt, .descending)
        .limit(maximumFailures)
        .all()
      if failures.count >= maximumFailures, let last = failures.last?.createdAt {
        oldest.append(last)
      }
    }
    guard let unlock = oldest.map({ $0.addingTimeInterval(Self.window) }).max() else { return }
    let seconds = max(1, Int(unlock.timeIntervalSince(now).rounded(.up)))
    throw AppError(
      .tooManyRequests, type: "too-many-login-failures", title: "Too Many Requests",
      detail: "Too many failed logins; try again in \(seconds) seconds.",
      headers: ["Retry-After": String(seconds)])
  }
}
