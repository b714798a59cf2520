import Foundation

/// One template's figures per version in a window, in one statement: the rollups' whole UTC
/// days (`template_version_daily_stats`, `template_version_daily_latency`) and, for the partial
/// days at either end, the same facts counted from the prompt versions, outputs and reviews
/// themselves (`TemplateVersionFacts`), through the `(template_version_id, created_at)` index.
/// One row per version that has any: its counts, then the histogram `b0`…`b99`.
struct TemplateQualityStatement: FixedStatement {
  static let sql = statement(sqlite: false)
  static let sqliteSQL = statement(sqlite: true)

  let companyID: UUID
  let templateID: UUID
  let window: StatsWindow

  /// `$1` company, `$2` template, `$3`…`$8` the window (`StatsWindow.boundValues`).
  var values: [BoundValue] { [.uuid(companyID), .uuid(templateID)] + window.boundValues }

  private static func statement(sqlite: Bool) -> String {
    let counts = TemplateVersionFacts.counts
    let buckets = TemplateVersionFacts.bucketColumns
    let partial = { (start: Int) in
      "tv.template_id = $2 AND pv.company_id = $1 AND pv.created_at >= $\(start)"
        + " AND pv.created_at < $\(start + 1)"
    }
    let partialFirstOutputs = [5, 7].map {
      """
      SELECT pv.template_version_id, \(TemplateVersionFacts.bucketIndicators(aggregate: false))
      FROM prompt_versions pv JOIN prompt_template_versions tv ON tv.id = pv.template_version_id
      JOIN prompt_version_first_outputs f ON f.prompt_version_id = pv.id
      WHERE \(partial($0))
      """
    }
    let wholeDays = "company_id = $1 AND template_id = $2 AND day >= $3 AND day < $4"
    return """
      SELECT c.template_version_id, \(counts.map { "c.\($0)" }.joined(separator: ", ")),
        \(buckets.map { "COALESCE(h.\($0), 0) AS \($0)" }.joined(separator: ", "))
      FROM (
        SELECT template_version_id, \(sums(counts))
        FROM (
          SELECT template_version_id, \(counts.joined(separator: ", "))
          FROM template_version_daily_stats WHERE \(wholeDays)
          UNION ALL
          SELECT template_version_id, \(counts.joined(separator: ", "))
          FROM (\(TemplateVersionFacts.rows(versionFilter: partial(5), sqlite: sqlite))) AS head
          UNION ALL
          SELECT template_version_id, \(counts.joined(separator: ", "))
          FROM (\(TemplateVersionFacts.rows(versionFilter: partial(7), sqlite: sqlite))) AS tail
        ) AS counted
        GROUP BY template_version_id
      ) AS c
      LEFT JOIN (
        SELECT template_version_id, \(sums(buckets))
        FROM (
          SELECT template_version_id, \(buckets.joined(separator: ", "))
          FROM template_version_daily_latency WHERE \(wholeDays)
          UNION ALL
          \(partialFirstOutputs.joined(separator: "\nUNION ALL\n"))
        ) AS latency
        GROUP BY template_version_id
      ) AS h ON h.template_version_id = c.template_version_id
      """
  }

  private static func sums(_ columns: [String]) -> String {
    columns.map { "CAST(SUM(\($0)) AS BIGINT) AS \($0)" }.joined(separator: ", ")
  }
}
