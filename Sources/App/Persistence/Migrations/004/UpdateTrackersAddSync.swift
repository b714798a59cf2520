import Fluent

/// What syncing needs on a tracker: its options, cursor, health and archive time.
struct UpdateTrackersAddSync: AsyncMigration {
  /// SQLite's `ALTER TABLE` adds or drops one column per statement, so each is its own update.
  static let columns: [(String, DatabaseSchema.DataType, [DatabaseSchema.FieldConstraint])] = [
    ("acceptance_criteria_field", .string, []),
    ("jql", .string, []),
    ("sync_interval_minutes", .int, [.required, .sql(.default(5))]),
    ("webhook_secret", .string, []),
    ("sync_cursor", .datetime, []),
    ("last_sync_at", .datetime, []),
    ("last_error", .string, []),
    ("needs_reauth", .bool, [.required, .sql(.default(false))]),
    ("archived_at", .datetime, []),
  ]

  func prepare(on database: any Database) async throws {
    for (name, type, constraints) in Self.columns {
      try await database.schema("trackers")
        .field(
          .definition(
            name: .key(.init(stringLiteral: name)), dataType: type, constraints: constraints)
        )
        .update()
    }
  }

  func revert(on database: any Database) async throws {
    for (name, _, _) in Self.columns.reversed() {
      try await database.schema("trackers").deleteField(.init(stringLiteral: name)).update()
    }
  }
}
