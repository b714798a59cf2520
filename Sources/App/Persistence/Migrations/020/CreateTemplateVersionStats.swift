import Fluent
import SQLKit

/// Per template version and UTC day (and quarter hour, `CountRollup`) of generation:
/// generations, outputs, reviews by verdict, tokens, and a histogram of seconds to the first
/// output per day, so that `GET /stats/templates/:id`
/// adds up a row per version and day instead of joining every prompt, output and review
/// (`scripts/bench-stats.sh`). Kept by triggers on `prompt_versions`, `outputs` and
/// `output_reviews` in the transaction of each write, like `generation_daily_stats`
/// (migration 010); existing rows are counted when the migration runs.
///
/// - `prompt_version_first_outputs`: each prompt version's first output and its histogram
///   bucket. Its primary key decides which output was first when two arrive at once: the
///   second insert waits for the first to commit and then does nothing.
/// - `template_version_daily_latency` and `template_version_period_latency`
///   (`LatencyRollup`): the histogram, one column per bucket, so that a range is one row per
///   version and day (or 16 days) whatever the spread of times.
struct CreateTemplateVersionStats: AsyncMigration {
  func prepare(on database: any Database) async throws {
    try await database.transaction { transaction in
      let sql = transaction.sql
      if sql.engine != .sqlite {
        // Holds off the counted writes between the backfill and the triggers (see 010).
        try await sql.raw(
          "LOCK TABLE prompt_versions, outputs, output_reviews IN SHARE MODE"
        ).run()
      }
      try await createTables(on: sql)
      try await backfill(on: sql)
      if sql.engine == .sqlite {
        try await createSQLiteTriggers(on: sql)
      } else {
        try await createPostgresTriggers(on: sql)
      }
      // The partial days' first outputs: a template's, by the time their prompt was generated.
      try await transaction.createIndex(
        "prompt_version_first_outputs_generated_idx", on: "prompt_version_first_outputs",
        columns: ["company_id", "template_id", "generated_at", "template_version_id", "bucket"])
      // One template version's prompts in order of time (the regression check's sample of the
      // latest generations with a version), in place of the index on the version alone.
      try await sql.raw("DROP INDEX prompt_versions_template_version_id_idx").run()
      try await transaction.createIndex(
        "prompt_versions_template_version_id_created_at_idx", on: "prompt_versions",
        columns: ["template_version_id", "created_at"])
    }
  }

  func revert(on database: any Database) async throws {
    let sql = database.sql
    if sql.engine == .sqlite {
      for trigger in Self.sqliteTriggers {
        try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: trigger)").run()
      }
    } else {
      for (trigger, table) in Self.postgresTriggers {
        try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: trigger) ON \(unsafeRaw: table)")
          .run()
      }
      for function in Self.postgresFunctions {
        try await sql.raw("DROP FUNCTION IF EXISTS \(unsafeRaw: function)()").run()
      }
    }
    for table in [
      "template_version_period_latency", "template_version_daily_latency",
      "prompt_version_first_outputs",
      "template_version_quarter_stats", "template_version_daily_stats",
    ] {
      try await sql.raw("DROP TABLE \(unsafeRaw: table)").run()
    }
    try await sql.raw("DROP INDEX prompt_versions_template_version_id_created_at_idx").run()
    try await database.createIndex(
      "prompt_versions_template_version_id_idx", on: "prompt_versions",
      columns: ["template_version_id"])
  }

  static let key = "company_id, template_id, day, template_version_id"

  private func createTables(on sql: any SQLDatabase) async throws {
    let sqlite = sql.engine == .sqlite
    // Declared as Fluent declares its own UUID columns: on SQLite the type name decides the
    // column's affinity, and a join between columns of different affinities cannot use the
    // index (the lookup of a prompt version's first output scanned the whole table).
    let uuid = "UUID"
    let withoutRowID = sqlite ? " WITHOUT ROWID" : ""
    let keyColumns = """
      company_id \(uuid) NOT NULL, template_id \(uuid) NOT NULL, day BIGINT NOT NULL,
      template_version_id \(uuid) NOT NULL
      """
    let counts = TemplateVersionFacts.counts.map { "\($0) BIGINT NOT NULL DEFAULT 0" }
    for rollup in CountRollup.all {
      try await sql.raw(
        """
        CREATE TABLE \(unsafeRaw: rollup.table) (
          company_id \(unsafeRaw: uuid) NOT NULL, template_id \(unsafeRaw: uuid) NOT NULL,
          \(unsafeRaw: rollup.period) BIGINT NOT NULL, template_version_id \(unsafeRaw: uuid) NOT NULL,
          \(unsafeRaw: counts.joined(separator: ", ")), PRIMARY KEY (\(unsafeRaw: rollup.key))
        )\(unsafeRaw: withoutRowID)
        """
      ).run()
    }
    try await sql.raw(
      """
      CREATE TABLE prompt_version_first_outputs (
        prompt_version_id \(unsafeRaw: uuid) NOT NULL PRIMARY KEY, output_id \(unsafeRaw: uuid) NOT NULL,
        \(unsafeRaw: keyColumns), bucket INTEGER NOT NULL,
        generated_at \(unsafeRaw: sqlite ? "REAL" : "TIMESTAMPTZ") NOT NULL
      )\(unsafeRaw: withoutRowID)
      """
    ).run()
    let buckets = TemplateVersionFacts.bucketColumns.map { "\($0) BIGINT NOT NULL DEFAULT 0" }
    for rollup in LatencyRollup.all {
      try await sql.raw(
        """
        CREATE TABLE \(unsafeRaw: rollup.table) (
          company_id \(unsafeRaw: uuid) NOT NULL, template_id \(unsafeRaw: uuid) NOT NULL,
          \(unsafeRaw: rollup.period) BIGINT NOT NULL, template_version_id \(unsafeRaw: uuid) NOT NULL,
          \(unsafeRaw: buckets.joined(separator: ", ")), PRIMARY KEY (\(unsafeRaw: rollup.key))
        )\(unsafeRaw: withoutRowID)
        """
      ).run()
    }
  }

  private func backfill(on sql: any SQLDatabase) async throws {
    let sqlite = sql.engine == .sqlite
    let sums = TemplateVersionFacts.counts.map { "SUM(\($0))" }.joined(separator: ", ")
    for rollup in CountRollup.all {
      let facts = TemplateVersionFacts.rows(versionFilter: "1 = 1", period: rollup, sqlite: sqlite)
      try await sql.raw(
        """
        INSERT INTO \(unsafeRaw: rollup.table) (\(unsafeRaw: rollup.key),
          \(unsafeRaw: TemplateVersionFacts.counts.joined(separator: ", ")))
        SELECT \(unsafeRaw: rollup.key), \(unsafeRaw: sums)
        FROM (\(unsafeRaw: facts)) AS facts
        GROUP BY \(unsafeRaw: rollup.key)
        """
      ).run()
    }
    try await sql.raw(
      """
      INSERT INTO prompt_version_first_outputs (prompt_version_id, output_id, \(unsafeRaw: Self.key),
        bucket, generated_at)
      SELECT o.prompt_version_id, o.id, \(unsafeRaw: Self.firstOutputValues("o", sqlite: sqlite))
      FROM outputs o JOIN prompt_versions pv ON pv.id = o.prompt_version_id
      JOIN prompt_template_versions tv ON tv.id = pv.template_version_id
      WHERE NOT EXISTS (
        SELECT 1 FROM outputs e WHERE e.prompt_version_id = o.prompt_version_id
          AND (e.created_at < o.created_at OR (e.created_at = o.created_at AND e.id < o.id)))
      """
    ).run()
    for rollup in LatencyRollup.all {
      try await sql.raw(
        SQLQueryString(
          rollup.add(
            from: "prompt_version_first_outputs f", filter: "1 = 1", sqlite: sqlite, grouped: true)
        )
      ).run()
    }
  }

  /// `company_id, template_id, day, template_version_id, bucket, generated_at` of a first output `output`
  /// of the prompt version `pv` (of template version `tv`).
  static func firstOutputValues(_ output: String, sqlite: Bool) -> String {
    let seconds = TemplateVersionFacts.seconds(
      from: "pv.created_at", to: "\(output).created_at", sqlite: sqlite)
    return """
      pv.company_id, tv.template_id, \(CreateGenerationDailyStats.day("pv.created_at", sqlite: sqlite)),
      pv.template_version_id, \(TemplateVersionFacts.bucketExpression(seconds)), pv.created_at
      """
  }

  /// `SET column = <target>.column + <excluded>.column, …` for an upsert.
  static func increments(_ columns: [String], target: String, excluded: String) -> String {
    columns.map { "\($0) = \(target)\($0) + \(excluded).\($0)" }.joined(separator: ", ")
  }
}
