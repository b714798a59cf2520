import Fluent
import SQLKit

/// What a data change touched: the entity's type and id, and the names of the changed fields.
struct UpdateAuditEventsAddEntity: AsyncMigration {
  /// SQLite's `ALTER TABLE` adds one column per statement, so each is its own update.
  static let columns: [(String, DatabaseSchema.DataType)] = [
    ("entity_type", .string),
    ("entity_id", .uuid),
    ("changed_fields", .string),
  ]

  func prepare(on database: any Database) async throws {
    for (name, type) in Self.columns {
      try await database.schema("audit_events")
        .field(.init(stringLiteral: name), type)
        .update()
    }
    try await database.createIndex(
      "audit_events_entity_idx", on: "audit_events",
      columns: ["company_id", "entity_type", "entity_id"])
  }

  func revert(on database: any Database) async throws {
    try await database.sql.drop(index: "audit_events_entity_idx").run()
    for (name, _) in Self.columns.reversed() {
      try await database.schema("audit_events").deleteField(.init(stringLiteral: name)).update()
    }
  }
}
