import Fluent
import SQLKit

/// The large text columns are compressed with lz4 instead of pglz on PostgreSQL: pglz was 2.6 %
/// of the whole machine's CPU under `POST /prompts/generate` (compressing each prompt) and
/// decompressing issue descriptions 6.6 % under `GET /issues` (`perf record -a`,
/// bench/results/2026-11-26-profiles.md); lz4 does both several times faster at about the same
/// ratio on Markdown. Only values written from now on are lz4; older ones stay readable as they
/// are. Skipped on SQLite, which does not compress, and on a PostgreSQL built without lz4.
struct UpdateLargeTextUseLZ4: AsyncMigration {
  static let columns = [
    ("issues", "description_md"), ("issues", "criteria_md"), ("issues", "payload_json"),
    ("prompt_versions", "body_text"), ("prompt_template_versions", "body_md"),
  ]

  func prepare(on database: any Database) async throws {
    try await setCompression("lz4", on: database)
  }

  func revert(on database: any Database) async throws {
    try await setCompression("pglz", on: database)
  }

  private func setCompression(_ method: String, on database: any Database) async throws {
    let sql = database.sql
    guard sql.engine == .postgres, try await Self.supportsLZ4(sql) else { return }
    for (table, column) in Self.columns {
      try await sql.raw(
        "ALTER TABLE \(ident: table) ALTER COLUMN \(ident: column) SET COMPRESSION \(unsafeRaw: method)"
      ).run()
    }
  }

  static func supportsLZ4(_ sql: any SQLDatabase) async throws -> Bool {
    try await sql.raw(
      """
      SELECT 1 AS found FROM pg_settings
      WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)
      """
    ).first() != nil
  }
}
