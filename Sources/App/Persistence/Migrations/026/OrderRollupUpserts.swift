import Fluent
import SQLKit

/// The statistics triggers a generation fires on PostgreSQL upsert their rows in key order
/// (`ORDER BY` on each grouped `INSERT … SELECT`), so that statements storing several
/// generations at once (`GenerationService.StoreGroupInOneStatement`; one group at a time per
/// process, but several API processes share the database) take those rows' locks in one order
/// and cannot deadlock one another: the prompts first, in key order, then the rows of each
/// statistics table in turn. Unordered, such statements deadlocked within seconds under pgbench,
/// each deadlock costing `deadlock_timeout` (docs/performance.md, round 11). SQLite's triggers
/// are per row, and it has one writer. Reverting leaves the order: the counts are the same
/// either way.
struct OrderRollupUpserts: AsyncMigration {
  static let functions = [
    ("promptsmith_count_generations", CreateGenerationDailyStats.postgresCount),
    ("promptsmith_count_generation_quarters", CreateGenerationQuarterStats.postgresCount),
    ("promptsmith_count_template_generations", CreateTemplateVersionStats.postgresGenerationCounts),
  ]

  func prepare(on database: any Database) async throws {
    let sql = database.sql
    guard sql.engine != .sqlite else { return }
    for (name, body) in Self.functions {
      try await sql.raw(
        """
        CREATE OR REPLACE FUNCTION \(unsafeRaw: name)() RETURNS trigger AS $$
        BEGIN
        \(unsafeRaw: body)
          RETURN NULL;
        END $$ LANGUAGE plpgsql
        """
      ).run()
    }
  }

  func revert(on database: any Database) async throws {}
}
