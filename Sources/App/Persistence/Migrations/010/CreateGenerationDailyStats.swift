import Fluent
import SQLKit

/// Per-day counts of generation events (UTC days), kept by a trigger in the transaction that
/// inserts the event, so that `GET /stats/summary` adds up a few hundred rows instead of
/// scanning a week of events (about 19,000 at 1M events a year; scripts/bench.sh, 2026-11-26).
/// A trigger rather than application code: every insert path (generation, scripts, bulk
/// imports) keeps the counts exact. Existing events are counted when the migration runs.
///
/// `ide_key` is `''` for an event without an IDE and `'v' || ide` otherwise, so that the key is
/// never NULL (NULLs are distinct in a unique index and would defeat the upsert) and an IDE
/// named `''` stays distinct from none.
struct CreateGenerationDailyStats: AsyncMigration {
  /// In one transaction that holds off event inserts (on PostgreSQL a SHARE lock, which waits
  /// for running inserts and blocks new ones; SQLite has a single writer): an event committed
  /// between the backfill and the trigger's creation would otherwise be counted never, or twice.
  /// Generations wait for the backfill, one grouped scan of the events.
  func prepare(on database: any Database) async throws {
    try await database.transaction { transaction in
      let sql = transaction.sql
      if sql.engine != .sqlite {
        try await sql.raw("LOCK TABLE generation_events IN SHARE MODE").run()
      }
      try await create(on: sql)
    }
  }

  private func create(on sql: any SQLDatabase) async throws {
    let sqlite = sql.engine == .sqlite
    try await sql.raw(
      """
      CREATE TABLE generation_daily_stats (
        company_id \(unsafeRaw: sqlite ? "BLOB" : "UUID") NOT NULL,
        day BIGINT NOT NULL,
        template_id \(unsafeRaw: sqlite ? "BLOB" : "UUID") NOT NULL,
        ide_key TEXT NOT NULL,
        prompts BIGINT NOT NULL,
        tokens BIGINT NOT NULL,
        PRIMARY KEY (company_id, day, template_id, ide_key)
      )\(unsafeRaw: sqlite ? " WITHOUT ROWID" : "")
      """
    ).run()
    try await sql.raw(
      """
      INSERT INTO generation_daily_stats (company_id, day, template_id, ide_key, prompts, tokens)
      SELECT company_id, \(unsafeRaw: Self.day("\"timestamp\"", sqlite: sqlite)),
        template_id, \(unsafeRaw: Self.ideKey("ide")), COUNT(*), SUM(tokens_in)
      FROM generation_events GROUP BY 1, 2, 3, 4
      """
    ).run()
    if sqlite {
      try await sql.raw(
        """
        CREATE TRIGGER generation_events_count AFTER INSERT ON generation_events
        BEGIN
          INSERT INTO generation_daily_stats
            (company_id, day, template_id, ide_key, prompts, tokens)
          VALUES (NEW.company_id, \(unsafeRaw: Self.day("NEW.\"timestamp\"", sqlite: true)),
            NEW.template_id, \(unsafeRaw: Self.ideKey("NEW.ide")), 1, NEW.tokens_in)
          ON CONFLICT (company_id, day, template_id, ide_key)
          DO UPDATE SET prompts = prompts + 1, tokens = tokens + excluded.tokens;
        END
        """
      ).run()
    } else {
      // One statement-level trigger: a bulk insert is counted with one grouped upsert.
      try await sql.raw(
        """
        CREATE FUNCTION promptsmith_count_generations() RETURNS trigger AS $$
        BEGIN
        \(unsafeRaw: Self.postgresCount)
          RETURN NULL;
        END $$ LANGUAGE plpgsql
        """
      ).run()
      try await sql.raw(
        """
        CREATE TRIGGER generation_events_count AFTER INSERT ON generation_events
        REFERENCING NEW TABLE AS new_events
        FOR EACH STATEMENT EXECUTE FUNCTION promptsmith_count_generations()
        """
      ).run()
    }
  }

  func revert(on database: any Database) async throws {
    let sql = database.sql
    if sql.engine == .sqlite {
      try await sql.raw("DROP TRIGGER IF EXISTS generation_events_count").run()
    } else {
      try await sql.raw("DROP TRIGGER IF EXISTS generation_events_count ON generation_events").run()
      try await sql.raw("DROP FUNCTION IF EXISTS promptsmith_count_generations()").run()
    }
    try await sql.raw("DROP TABLE generation_daily_stats").run()
  }

  /// The UTC day number (days since 1970-01-01) of a timestamp column. SQLite stores Fluent's
  /// dates as seconds since 1970 (a REAL); the correction keeps the floor exact where the
  /// division rounds up to the next integer a fraction of a microsecond before midnight.
  static func day(_ column: String, sqlite: Bool) -> String {
    if sqlite {
      let truncated = "CAST(\(column) / 86400 AS INTEGER)"
      return "(\(truncated) - CASE WHEN \(truncated) * 86400 > \(column) THEN 1 ELSE 0 END)"
    }
    return "CAST(floor(extract(epoch FROM \(column)) / 86400) AS BIGINT)"
  }

  /// The PostgreSQL trigger's grouped upsert of the statement's new events, in key order so that
  /// concurrent statements take the rows' locks in one order (migration 026).
  static let postgresCount = """
    INSERT INTO generation_daily_stats AS s
      (company_id, day, template_id, ide_key, prompts, tokens)
    SELECT company_id, \(day("\"timestamp\"", sqlite: false)), template_id, \(ideKey("ide")),
      COUNT(*), SUM(tokens_in)
    FROM new_events GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (company_id, day, template_id, ide_key)
    DO UPDATE SET prompts = s.prompts + EXCLUDED.prompts, tokens = s.tokens + EXCLUDED.tokens;
    """

  static func ideKey(_ column: String) -> String {
    "CASE WHEN \(column) IS NULL THEN '' ELSE 'v' || \(column) END"
  }
}
