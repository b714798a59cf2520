import Fluent
import SQLKit

/// Indexes for counting recent failed logins per attempted e-mail and per IP.
struct UpdateAuditEventsAddLoginIndexes: AsyncMigration {
  func prepare(on database: any Database) async throws {
    try await database.createIndex(
      "audit_events_attempted_email_idx", on: "audit_events",
      columns: ["attempted_email", "action", "created_at"])
    try await database.createIndex(
      "audit_events_ip_idx", on: "audit_events", columns: ["ip", "action", "created_at"])
  }

  func revert(on database: any Database) async throws {
    let sql = database.sql
    try await sql.drop(index: "audit_events_attempted_email_idx").run()
    try await sql.drop(index: "audit_events_ip_idx").run()
  }
}
