import Foundation

/// The statements behind one template's figures per version in a window: the rollups of
/// migration 020 for the whole UTC days (`template_version_daily_stats`, the latency
/// histograms of `LatencyRollup`) and the quarter hours of the partial days at either end
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

  /// Per version with any: the first outputs of the whole days per bucket, as `histogram`, the
  /// counts of `b0`…`b99` separated by commas: the 16-day periods `[$3, $4)` and the days
  /// `[$5, $6)` and `[$7, $8)` around them.
  struct WholeDayLatency: FixedStatement {
    static let sql: String = {
      let buckets = TemplateVersionFacts.bucketColumns
      let select = "SELECT template_version_id, \(buckets.joined(separator: ", "))"
      let parts =
        [
          "\(select) FROM template_version_period_latency WHERE company_id = $1 AND template_id = $2"
            + " AND period >= $3 AND period < $4"
        ]
        + [5, 7].map {
          "\(select) FROM template_version_daily_latency WHERE company_id = $1 AND template_id = $2"
            + " AND day >= $\($0) AND day < $\($0 + 1)"
        }
      // One text column of comma-separated counts rather than 100 columns: decoding a row's
      // columns by name scans them all for each, and took more of the request than the query.
      let histogram = buckets.map { "CAST(SUM(\($0)) AS TEXT)" }.joined(separator: " || ',' || ")
      return """
        SELECT template_version_id, \(histogram) AS histogram
        FROM (\(parts.joined(separator: "\nUNION ALL\n"))) AS latency
        GROUP BY template_version_id
        """
    }()
    let scope: Scope
    var values: [BoundValue] {
      let length = LatencyRollup.daysPerPeriod
      let (first, end) = (scope.window.firstDay, scope.window.endDay)
      let periods = ((first + length - 1) / length, end / length)
      guard periods.0 < periods.1 else {
        return scope.leading + [.int(0), .int(0), .int(first), .int(end), .int(0), .int(0)]
      }
      return scope.leading + [
        .int(periods.0), .int(periods.1), .int(first), .int(periods.0 * length),
        .int(periods.1 * length), .int(end),
      ]
    }
  }

  /// The first outputs of the prompts generated in the partial days `[$3, $4)` and `[$5, $6)`,
  /// per version and bucket: `(template_version_id, bucket, n)`, from the
  /// `(company_id, template_id, generated_at, …)` index alone. (Through the prompt versions,
  /// PostgreSQL chose to hash-join every first output, 46 ms at 1,000,000 generations.)
  struct PartialDayLatency: FixedStatement {
    static let sql = [3, 5].map {
      """
      SELECT template_version_id, bucket, COUNT(*) AS n FROM prompt_version_first_outputs
      WHERE company_id = $1 AND template_id = $2
        AND generated_at >= $\($0) AND generated_at < $\($0 + 1)
      GROUP BY template_version_id, bucket
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
