import Fluent
import Foundation
import Logging
import NIOCore
import PostgresKit

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
  case reauthenticationFailed = "auth.reauthentication.failed"
  case userCreated = "user.created"
  case userUpdated = "user.updated"
  case companyCreated = "company.created"
  case outputMalwareDetected = "output.malware_detected"
  case trackerCreated = "tracker.created"
  case trackerUpdated = "tracker.updated"
  case trackerDeleted = "tracker.deleted"
  case templateCreated = "template.created"
  case templateUpdated = "template.updated"
  case templateDeleted = "template.deleted"
  case templateLabelMoved = "template.label.moved"
  case templateLabelRemoved = "template.label.removed"
  case companyUpdated = "company.updated"
  case webhookSubscriptionCreated = "webhook.subscription.created"
  case webhookSubscriptionDeleted = "webhook.subscription.deleted"
  case promptCreated = "prompt.created"
  case promptUpdated = "prompt.updated"
  case outputCreated = "output.created"
  case outputReviewed = "output.reviewed"
  case jobCreated = "job.created"
  case jobRetried = "job.retried"
  case jobCancelled = "job.cancelled"
  case tokenCreated = "token.created"
  case tokenRevoked = "token.revoked"
}

/// The kinds of rows whose changes the audit trail records.
enum AuditEntity: String, Sendable, CaseIterable {
  case user
  case tracker
  case template
  case prompt
  case output
  case job
  case token
  case company
  case webhook
}

struct AuditLog: Sendable {
  let database: any Database
  let logger: Logger

  func record(
    _ action: AuditAction, client: ClientInfo?, companyID: UUID? = nil, userID: UUID? = nil,
    attemptedEmail: String? = nil, details: [String: String] = [:],
    entity: (AuditEntity, UUID)? = nil, changedFields: [String] = []
  ) async throws {
    let statement = try InsertAuditEvent(
      action, client: client, companyID: companyID, userID: userID,
      attemptedEmail: attemptedEmail, details: details, entity: entity,
      changedFields: changedFields)
    try await database.singleWrite { try await $0.run(statement) }
    Self.log(
      action, client: client, userID: userID, attemptedEmail: attemptedEmail, details: details,
      entity: entity, changedFields: changedFields, to: logger)
  }

  /// The `changed_fields` column: the names sorted, as a JSON array; nil when there are none.
  /// Written as `JSONEncoder` writes it, without one (0.4 % of the server's CPU under uploads,
  /// perf, 2026-12-07).
  static func json(changedFields: [String]) throws -> String? {
    guard !changedFields.isEmpty else { return nil }
    var json = JSONByteWriter(buffer: ByteBuffer())
    json.stringArray(changedFields.sorted())
    return String(buffer: json.buffer)
  }

  /// The log line of an audit row (`record` writes both; a statement that writes the row itself
  /// calls this after it).
  static func log(
    _ action: AuditAction, client: ClientInfo?, userID: UUID? = nil,
    attemptedEmail: String? = nil, details: [String: String] = [:],
    entity: (AuditEntity, UUID)? = nil, changedFields: [String] = [], to logger: Logger
  ) {
    var metadata: Logger.Metadata = ["audit": .string(action.rawValue)]
    if let (type, id) = entity {
      metadata["entity"] = .string(type.rawValue)
      metadata["entityId"] = .string(id.lowercasedText)
    }
    if !changedFields.isEmpty {
      metadata["changedFields"] = .string(changedFields.sorted().joined(separator: ","))
    }
    if let userID { metadata[LogKeys.userID] = .string(userID.lowercasedText) }
    if let attemptedEmail { metadata["attemptedEmail"] = .string(attemptedEmail) }
    if let ip = client?.ip { metadata["ip"] = .string(ip) }
    if let agent = client?.userAgent { metadata["userAgent"] = .string(agent) }
    for (key, value) in details { metadata[key] = .string(value) }
    logger.info("audit \(action.rawValue)", metadata: metadata)
  }
}

/// One row of `audit_events`, in column order.
struct InsertAuditEvent: FixedStatement {
  static let sql = """
    INSERT INTO audit_events (id, company_id, user_id, action, attempted_email, ip, user_agent,
      request_id, details_json, entity_type, entity_id, changed_fields, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
    """
  let values: [BoundValue]

  /// Plain SQL rather than the `AuditEvent` model: every audited request writes one, and
  /// Fluent's reflection on save was a visible part of generate and refresh (perf, 2026-11-26).
  init(
    _ action: AuditAction, client: ClientInfo?, companyID: UUID?, userID: UUID?,
    attemptedEmail: String? = nil, details: [String: String] = [:],
    entity: (AuditEntity, UUID)? = nil, changedFields: [String] = []
  ) throws {
    let detailsJSON =
      details.isEmpty
      ? nil : String(decoding: try JSONEncoder().encode(details), as: UTF8.self)
    let changedFieldsJSON = try AuditLog.json(changedFields: changedFields)
    values = [
      .uuid(UUID.v7()), .uuid(companyID), .uuid(userID), .text(action.rawValue),
      .text(attemptedEmail), .text(client?.ip), .text(client?.userAgent),
      .text(client?.requestID), .text(detailsJSON), .text(entity?.0.rawValue),
      .uuid(entity?.1), .text(changedFieldsJSON), .date(Date()),
    ]
  }
}

/// Who changes data, for services that write the change and its audit row in one transaction.
struct Auditor: Sendable {
  let companyID: UUID
  let actorID: UUID?
  let client: ClientInfo?
  let logger: Logger

  /// Records a data change on `database` (pass the transaction the change is written in).
  func record(
    _ action: AuditAction, _ entity: AuditEntity, id: UUID, changed: [String] = [],
    details: [String: String] = [:], on database: any Database
  ) async throws {
    try await AuditLog(database: database, logger: logger).record(
      action, client: client, companyID: companyID, userID: actorID, details: details,
      entity: (entity, id), changedFields: changed)
  }

  /// The audit row of a data change, for a caller that writes it itself (and then calls
  /// `logRecorded`).
  func statement(
    _ action: AuditAction, _ entity: AuditEntity, id: UUID, changed: [String] = [],
    details: [String: String] = [:]
  ) throws -> InsertAuditEvent {
    try InsertAuditEvent(
      action, client: client, companyID: companyID, userID: actorID, details: details,
      entity: (entity, id), changedFields: changed)
  }

  /// Logs a data change whose audit row a statement of its own wrote.
  func logRecorded(
    _ action: AuditAction, _ entity: AuditEntity, id: UUID, changed: [String] = [],
    details: [String: String] = [:]
  ) {
    AuditLog.log(
      action, client: client, userID: actorID, details: details, entity: (entity, id),
      changedFields: changed, to: logger)
  }
}
