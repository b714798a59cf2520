import Fluent
import SQLKit

/// The triggers that keep migration 020's rollups: one statement per counted write on SQLite
/// (row triggers), one grouped upsert per statement on PostgreSQL for generations and outputs
/// (statement triggers with transition tables, as in 010) and a row trigger for reviews, whose
/// updates need the old verdict.
extension CreateTemplateVersionStats {
  static let sqliteTriggers = [
    "prompt_versions_count_template_stats", "outputs_count_template_stats",
    "output_reviews_count_insert", "output_reviews_count_update", "output_reviews_count_delete",
  ]
  static let postgresTriggers = [
    ("prompt_versions_count_template_stats", "prompt_versions"),
    ("outputs_count_template_stats", "outputs"),
    ("output_reviews_count_template_stats", "output_reviews"),
  ]
  static let postgresFunctions = [
    "promptsmith_count_template_generations", "promptsmith_count_template_outputs",
    "promptsmith_count_template_reviews",
  ]

  private static let generationCounts = ["generations", "prompt_tokens"]
  private static let outputCounts = ["outputs", "output_tokens", "outputs_with_tokens"]
  private static let reviewCounts = ["reviewed", "accepted", "changes_requested", "rejected"]
  private static let joinTemplateVersion =
    "JOIN prompt_template_versions tv ON tv.id = pv.template_version_id"

  func createSQLiteTriggers(on sql: any SQLDatabase) async throws {
    let statements = [
      """
      CREATE TRIGGER prompt_versions_count_template_stats AFTER INSERT ON prompt_versions
      BEGIN
      \(CountRollup.all.map { rollup in
        """
        \(rollup.insert(Self.generationCounts, sqlite: true))
        SELECT NEW.company_id, tv.template_id, \(rollup.number("NEW.created_at", true)),
          NEW.template_version_id, 1, NEW.tokens_estimate
        FROM prompt_template_versions tv WHERE tv.id = NEW.template_version_id
        \(rollup.upsert(Self.generationCounts, sqlite: true));
        """
      }.joined(separator: "\n"))
      END
      """,
      """
      CREATE TRIGGER outputs_count_template_stats AFTER INSERT ON outputs
      BEGIN
        INSERT INTO prompt_version_first_outputs (prompt_version_id, output_id, \(Self.key), bucket,
          generated_at)
        SELECT NEW.prompt_version_id, NEW.id, \(Self.firstOutputValues("NEW", sqlite: true))
        FROM prompt_versions pv \(Self.joinTemplateVersion) WHERE pv.id = NEW.prompt_version_id
        ON CONFLICT (prompt_version_id) DO NOTHING;
        \(CountRollup.all.map { rollup in
          """
          \(rollup.insert(Self.outputCounts, sqlite: true))
          SELECT pv.company_id, tv.template_id, \(rollup.number("pv.created_at", true)),
            pv.template_version_id, 1, COALESCE(NEW.tokens_out, 0),
            CASE WHEN NEW.tokens_out IS NULL THEN 0 ELSE 1 END
          FROM prompt_versions pv \(Self.joinTemplateVersion) WHERE pv.id = NEW.prompt_version_id
          \(rollup.upsert(Self.outputCounts, sqlite: true));
          """
        }.joined(separator: "\n"))
        \(LatencyRollup.all.map {
          $0.add(
            from: "prompt_version_first_outputs f",
            filter: "f.prompt_version_id = NEW.prompt_version_id AND f.output_id = NEW.id",
            sqlite: true, grouped: false) + ";"
        }.joined(separator: "\n"))
      END
      """,
      """
      CREATE TRIGGER output_reviews_count_insert AFTER INSERT ON output_reviews
      BEGIN \(Self.reviewDelta(row: "NEW", sign: "1", sqlite: true)); END
      """,
      """
      CREATE TRIGGER output_reviews_count_update AFTER UPDATE OF verdict, output_id ON output_reviews
      BEGIN
        \(Self.reviewDelta(row: "OLD", sign: "-1", sqlite: true));
        \(Self.reviewDelta(row: "NEW", sign: "1", sqlite: true));
      END
      """,
      """
      CREATE TRIGGER output_reviews_count_delete AFTER DELETE ON output_reviews
      BEGIN \(Self.reviewDelta(row: "OLD", sign: "-1", sqlite: true)); END
      """,
    ]
    for statement in statements {
      try await sql.raw(SQLQueryString(statement)).run()
    }
  }

  /// The PostgreSQL trigger's grouped upserts of the statement's new versions, in key order so
  /// that concurrent statements take the rows' locks in one order (migration 026).
  static let postgresGenerationCounts = CountRollup.all.map { rollup in
    """
    \(rollup.insert(generationCounts, sqlite: false))
    SELECT n.company_id, tv.template_id, \(rollup.number("n.created_at", false)),
      n.template_version_id, COUNT(*), SUM(n.tokens_estimate)
    FROM new_versions n JOIN prompt_template_versions tv ON tv.id = n.template_version_id
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    \(rollup.upsert(generationCounts, sqlite: false));
    """
  }.joined(separator: "\n")

  func createPostgresTriggers(on sql: any SQLDatabase) async throws {
    let functions = [
      ("promptsmith_count_template_generations", Self.postgresGenerationCounts),
      (
        "promptsmith_count_template_outputs",
        """
        INSERT INTO prompt_version_first_outputs (prompt_version_id, output_id, \(Self.key), bucket,
          generated_at)
        SELECT DISTINCT ON (o.prompt_version_id) o.prompt_version_id, o.id,
          \(Self.firstOutputValues("o", sqlite: false))
        FROM new_outputs o JOIN prompt_versions pv ON pv.id = o.prompt_version_id
        \(Self.joinTemplateVersion)
        ORDER BY o.prompt_version_id, o.created_at, o.id
        ON CONFLICT (prompt_version_id) DO NOTHING;
        \(CountRollup.all.map { rollup in
          """
          \(rollup.insert(Self.outputCounts, sqlite: false))
          SELECT pv.company_id, tv.template_id, \(rollup.number("pv.created_at", false)),
            pv.template_version_id, COUNT(*), COALESCE(SUM(o.tokens_out), 0), COUNT(o.tokens_out)
          FROM new_outputs o JOIN prompt_versions pv ON pv.id = o.prompt_version_id
          \(Self.joinTemplateVersion)
          GROUP BY 1, 2, 3, 4
          \(rollup.upsert(Self.outputCounts, sqlite: false));
          """
        }.joined(separator: "\n"))
        \(LatencyRollup.all.map {
          $0.add(
            from: "prompt_version_first_outputs f JOIN new_outputs o"
              + " ON o.prompt_version_id = f.prompt_version_id AND o.id = f.output_id",
            filter: "TRUE", sqlite: false, grouped: true) + ";"
        }.joined(separator: "\n"))
        """
      ),
      (
        "promptsmith_count_template_reviews",
        """
        IF TG_OP <> 'INSERT' THEN
          \(Self.reviewDelta(row: "OLD", sign: "-1", sqlite: false));
        END IF;
        IF TG_OP <> 'DELETE' THEN
          \(Self.reviewDelta(row: "NEW", sign: "1", sqlite: false));
        END IF;
        """
      ),
    ]
    for (name, body) in functions {
      let function = """
        CREATE FUNCTION \(name)() RETURNS trigger AS $$
        BEGIN
        \(body)
        RETURN NULL;
        END $$ LANGUAGE plpgsql
        """
      try await sql.raw(SQLQueryString(function)).run()
    }
    let triggers = [
      """
      CREATE TRIGGER prompt_versions_count_template_stats AFTER INSERT ON prompt_versions
      REFERENCING NEW TABLE AS new_versions
      FOR EACH STATEMENT EXECUTE FUNCTION promptsmith_count_template_generations()
      """,
      """
      CREATE TRIGGER outputs_count_template_stats AFTER INSERT ON outputs
      REFERENCING NEW TABLE AS new_outputs
      FOR EACH STATEMENT EXECUTE FUNCTION promptsmith_count_template_outputs()
      """,
      """
      CREATE TRIGGER output_reviews_count_template_stats
      AFTER INSERT OR UPDATE OF verdict, output_id OR DELETE ON output_reviews
      FOR EACH ROW EXECUTE FUNCTION promptsmith_count_template_reviews()
      """,
    ]
    for trigger in triggers {
      try await sql.raw(SQLQueryString(trigger)).run()
    }
  }

  /// Adds `sign` (1 or -1) to the counts of the review `row` (`NEW` or `OLD`) in both rollups:
  /// reviewed, and its verdict's column.
  private static func reviewDelta(row: String, sign: String, sqlite: Bool) -> String {
    CountRollup.all.map { rollup in
      """
      \(rollup.insert(reviewCounts, sqlite: sqlite))
      SELECT pv.company_id, tv.template_id, \(rollup.number("pv.created_at", sqlite)),
        pv.template_version_id, \(sign),
        \(TemplateVersionFacts.verdictCounts("\(row).verdict", sign: sign))
      FROM outputs o JOIN prompt_versions pv ON pv.id = o.prompt_version_id
      \(joinTemplateVersion)
      WHERE o.id = \(row).output_id
      \(rollup.upsert(reviewCounts, sqlite: sqlite))
      """
    }.joined(separator: ";\n")
  }
}
