import Fluent
import SQLKit

/// Generation counts per company and quarter hour (UTC), kept by a trigger like
/// `generation_daily_stats`: `GET /stats/timeseries?groupBy=day` adds up whole days of any time
/// zone (every zone's offset is a multiple of 15 minutes) from at most 96 rows a day, where the
/// daily rollup only knows UTC days and the raw events are thousands a day.
struct CreateGenerationQuarterStats: AsyncMigration {
  /// Seconds in a quarter hour: a row's `quarter` is `floor(epoch / 900)`.
  static let quarter = 900

  func prepare(on database: any Database) async throws {
    try await database.transaction { transaction in
      let sql = transaction.sql
      if sql.engine != .sqlite {
        // Holds off event inserts between the backfill and the trigger (see migration 010).
        try await sql.raw("LOCK TABLE generation_events IN SHARE MODE").run()
      }
      try await create(on: sql)
    }
  }

  private func create(on sql: any SQLDatabase) async throws {
    let sqlite = sql.engine == .sqlite
    try await sql.raw(
      """
      CREATE TABLE generation_quarter_stats (
        company_id \(unsafeRaw: sqlite ? "BLOB" : "UUID") NOT NULL,
        quarter BIGINT NOT NULL,
        prompts BIGINT NOT NULL,
        tokens BIGINT NOT NULL,
        PRIMARY KEY (company_id, quarter)
      )\(unsafeRaw: sqlite ? " WITHOUT ROWID" : "")
      """
    ).run()
    try await sql.raw(
      """
      INSERT INTO generation_quarter_stats (company_id, quarter, prompts, tokens)
      SELECT company_id, \(unsafeRaw: Self.quarter("\"timestamp\"", sqlite: sqlite)), COUNT(*),
        SUM(tokens_in)
      FROM generation_events GROUP BY 1, 2
      """
    ).run()
    if sqlite {
      try await sql.raw(
        """
        CREATE TRIGGER generation_events_count_quarters AFTER INSERT ON generation_events
        BEGIN
          INSERT INTO generation_quarter_stats (company_id, quarter, prompts, tokens)
          VALUES (NEW.company_id, \(unsafeRaw: Self.quarter("NEW.\"timestamp\"", sqlite: true)),
            1, NEW.tokens_in)
          ON CONFLICT (company_id, quarter)
          DO UPDATE SET prompts = prompts + 1, tokens = tokens + excluded.tokens;
        END
        """
      ).run()
    } else {
      try await sql.raw(
        """
        CREATE FUNCTION promptsmith_count_generation_quarters() RETURNS trigger AS $$
        BEGIN
        \(unsafeRaw: Self.postgresCount)
          RETURN NULL;
        END $$ LANGUAGE plpgsql
        """
      ).run()
      try await sql.raw(
        """
        CREATE TRIGGER generation_events_count_quarters AFTER INSERT ON generation_events
        REFERENCING NEW TABLE AS new_events
        FOR EACH STATEMENT EXECUTE FUNCTION promptsmith_count_generation_quarters()
        """
      ).run()
    }
  }

  func revert(on database: any Database) async throws {
    let sql = database.sql
    if sql.engine == .sqlite {
      try await sql.raw("DROP TRIGGER IF EXISTS generation_events_count_quarters").run()
    } else {
      try await sql.raw(
        "DROP TRIGGER IF EXISTS generation_events_count_quarters ON generation_events"
      ).run()
      try await sql.raw("DROP FUNCTION IF EXISTS promptsmith_count_generation_quarters()").run()
    }
    try await sql.raw("DROP TABLE generation_quarter_stats").run()
  }

  /// The quarter-hour number of a timestamp column, floored as `CreateGenerationDailyStats.day`.
  /// The PostgreSQL trigger's grouped upsert of the statement's new events, in key order so that
  /// concurrent statements take the rows' locks in one order (migration 026).
  static let postgresCount = """
    INSERT INTO generation_quarter_stats AS s (company_id, quarter, prompts, tokens)
    SELECT company_id, \(quarter("\"timestamp\"", sqlite: false)), COUNT(*), SUM(tokens_in)
    FROM new_events GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (company_id, quarter)
    DO UPDATE SET prompts = s.prompts + EXCLUDED.prompts, tokens = s.tokens + EXCLUDED.tokens;
    """

  static func quarter(_ column: String, sqlite: Bool) -> String {
    if sqlite {
      let truncated = "CAST(\(column) / 900 AS INTEGER)"
      return "(\(truncated) - CASE WHEN \(truncated) * 900 > \(column) THEN 1 ELSE 0 END)"
    }
    return "CAST(floor(extract(epoch FROM \(column)) / 900) AS BIGINT)"
  }
}
