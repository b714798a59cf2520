import Foundation

/// The statements behind one template's figures per version in a window: the rollups of
/// migration 020 for the whole UTC days (`template_version_daily_stats`,
/// `template_version_daily_latency`) and the quarter hours of the partial days at either end
/// (`template_version_quarter_stats`), and the first outputs of the partial days themselves
/// (`prompt_version_first_outputs`, through the `(template_version_id, created_at)` index).
/// Small statements rather than one: PostgreSQL planned a single statement holding them all
/// (700 expressions) anew on every execution, 5 ms each, longer than running it (`EXPLAIN
/// ANALYZE EXECUTE`, 1,000,000 generations, 2026-12-06).
///
/// `$1` is the company, `$2` the template.
enum TemplateQualityStatements {
  /// Per version with any: the counts of `TemplateVersionFacts.counts`, from the whole days
  /// `[$3, $4)` and the quarter hours `[$5, $6)` and `[$7, $8)`.
  struct Counts: FixedStatement {
    static let sql: String = {
      let counts = TemplateVersionFacts.counts.joined(separator: ", ")
      let sums = TemplateVersionFacts.counts.map { "CAST(SUM(\($0)) AS BIGINT) AS \($0)" }
      let parts =
        [
          "SELECT template_version_id, \(counts) FROM template_version_daily_stats WHERE \(wholeDays)"
        ]
        + [5, 7].map {
          """
          SELECT template_version_id, \(counts) FROM template_version_quarter_stats
          WHERE company_id = $1 AND template_id = $2 AND quarter >= $\($0) AND quarter < $\($0 + 1)
          """
        }
      return """
        SELECT template_version_id, \(sums.joined(separator: ", "))
        FROM (\(parts.joined(separator: "\nUNION ALL\n"))) AS counted
        GROUP BY template_version_id
        """
    }()
    let scope: Scope
    var values: [BoundValue] {
      let quarter = { (date: Date) in BoundValue.int(Int(date.timeIntervalSince1970) / 900) }
      let window = scope.window
      return scope.leading + scope.wholeDays + [
        quarter(window.start), quarter(window.headEnd), quarter(window.tailStart),
        quarter(window.end),
      ]
    }
  }

  /// Per version with any: the first outputs of the whole days `[$3, $4)` per bucket,
  /// `b0`…`b99`.
  struct WholeDayLatency: FixedStatement {
    static let sql = """
      SELECT template_version_id,
        \(TemplateVersionFacts.bucketColumns.map { "CAST(SUM(\($0)) AS BIGINT) AS \($0)" }
        .joined(separator: ", "))
      FROM template_version_daily_latency WHERE \(wholeDays)
      GROUP BY template_version_id
      """
    let scope: Scope
    var values: [BoundValue] { scope.leading + scope.wholeDays }
  }

  /// The first outputs of the prompts generated in the partial days `[$3, $4)` and `[$5, $6)`,
  /// per version and bucket: `(template_version_id, bucket, n)`. `CROSS JOIN` fixes the join
  /// order for SQLite, which otherwise scanned every first output (360 ms at 200,000).
  struct PartialDayLatency: FixedStatement {
    static let sql = [3, 5].map {
      """
      SELECT pv.template_version_id, f.bucket, COUNT(*) AS n
      FROM prompt_template_versions tv CROSS JOIN prompt_versions pv
      CROSS JOIN prompt_version_first_outputs f
      WHERE pv.template_version_id = tv.id AND f.prompt_version_id = pv.id
        AND tv.template_id = $2 AND pv.company_id = $1
        AND pv.created_at >= $\($0) AND pv.created_at < $\($0 + 1)
      GROUP BY pv.template_version_id, f.bucket
      """
    }.joined(separator: "\nUNION ALL\n")
    let scope: Scope
    var values: [BoundValue] { scope.leading + scope.window.boundValues.suffix(4) }
  }

  /// The company, template and window the statements read; the window's bounds are whole
  /// quarter hours (`StatsRoutes.qualityRange`).
  struct Scope: Sendable {
    let companyID: UUID
    let templateID: UUID
    let window: StatsWindow
    var leading: [BoundValue] { [.uuid(companyID), .uuid(templateID)] }
    var wholeDays: [BoundValue] { [.int(window.firstDay), .int(window.endDay)] }
  }

  static let wholeDays = "company_id = $1 AND template_id = $2 AND day >= $3 AND day < $4"
}
