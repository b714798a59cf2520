import Fluent
import SQLKit

/// Drops the `audit_events` indexes by attempted e-mail and by IP (migration 008), which no
/// query reads any more: failed logins are counted in `login_attempts` since migration 013,
/// and the audit trail is filtered by company, action, entity, actor and time. Every audit row
/// updated both, a generation's included: two fewer B-trees per generation, and two fewer
/// pages in its commit on SQLite (docs/performance.md, round 6). Neither is a foreign key's.
struct DropUnreadIndexes: AsyncMigration {
  static let dropped: [(name: String, columns: [String])] = [
    ("audit_events_attempted_email_idx", ["attempted_email", "action", "created_at"]),
    ("audit_events_ip_idx", ["ip", "action", "created_at"]),
  ]

  func prepare(on database: any Database) async throws {
    for index in Self.dropped {
      try await database.sql.drop(index: index.name).run()
    }
  }

  func revert(on database: any Database) async throws {
    for index in Self.dropped {
      try await database.createIndex(index.name, on: "audit_events", columns: index.columns)
    }
  }
}
