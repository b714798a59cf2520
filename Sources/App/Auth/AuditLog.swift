import Fluent
import Foundation
import Logging

/// Security-relevant events, written to `audit_events` and to the log. Never pass a password,
/// token or hash here.
enum AuditAction: String, Sendable {
  case loginSucceeded = "auth.login.succeeded"
  case loginFailed = "auth.login.failed"
  case refreshSucceeded = "auth.refresh.succeeded"
  case refreshFailed = "auth.refresh.failed"
  case refreshReuseDetected = "auth.refresh.reuse_detected"
  case logout = "auth.logout"
  case passwordChanged = "auth.password.changed"
  case userCreated = "user.created"
  case userUpdated = "user.updated"
  case companyCreated = "company.created"
  case outputMalwareDetected = "output.malware_detected"
}

struct AuditLog: Sendable {
  let database: any Database
  let logger: Logger

  func record(
    _ action: AuditAction, client: ClientInfo?, companyID: UUID? = nil, userID: UUID? = nil,
    attemptedEmail: String? = nil, details: [String: String] = [:]
  ) async throws {
    let event = AuditEvent()
    event.id = .v7()
    event.$company.id = companyID
    event.$user.id = userID
    event.action = action.rawValue
    event.attemptedEmail = attemptedEmail
    event.ip = client?.ip
    event.userAgent = client?.userAgent
    event.requestID = client?.requestID
    if !details.isEmpty {
      event.detailsJSON = String(
        decoding: try JSONEncoder().encode(details), as: UTF8.self)
    }
    try await event.create(on: database)
    var metadata: Logger.Metadata = ["audit": .string(action.rawValue)]
    if let userID { metadata[LogKeys.userID] = .string(userID.uuidString.lowercased()) }
    if let attemptedEmail { metadata["attemptedEmail"] = .string(attemptedEmail) }
    if let ip = client?.ip { metadata["ip"] = .string(ip) }
    if let agent = client?.userAgent { metadata["userAgent"] = .string(agent) }
    for (key, value) in details { metadata[key] = .string(value) }
    logger.info("audit \(action.rawValue)", metadata: metadata)
  }
}
