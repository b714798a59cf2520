import Foundation

/// What migration 020's rollups count, defined once for the backfill, the triggers and the
/// statistics' raw partial days, so that all three count the same way.
///
/// Everything is attributed to the generation: an output, its first-output time and its review
/// count on the UTC day its prompt version was generated, whenever they came. A version's
/// figures for a range are those of the prompts generated in it.
enum TemplateVersionFacts {
  /// The counted columns of `template_version_daily_stats`, in order.
  static let counts = [
    "generations", "prompt_tokens", "outputs", "output_tokens", "outputs_with_tokens", "reviewed",
    "accepted", "changes_requested", "rejected",
  ]

  /// One row per prompt version and one per output, as
  /// `(company_id, template_id, day|quarter, template_version_id, generations, …, rejected)`,
  /// for the backfill of each rollup. `versionFilter` restricts the prompt versions `pv`
  /// (joined with their template version `tv`).
  static func rows(versionFilter: String, period: CountRollup, sqlite: Bool) -> String {
    let number = period.number("pv.created_at", sqlite)
    let key = "pv.company_id, tv.template_id, \(number) AS \(period.period), pv.template_version_id"
    return """
      SELECT \(key), 1 AS generations, pv.tokens_estimate AS prompt_tokens, 0 AS outputs,
        0 AS output_tokens, 0 AS outputs_with_tokens, 0 AS reviewed, 0 AS accepted,
        0 AS changes_requested, 0 AS rejected
      FROM prompt_versions pv JOIN prompt_template_versions tv ON tv.id = pv.template_version_id
      WHERE \(versionFilter)
      UNION ALL
      SELECT \(key), 0, 0, 1, COALESCE(o.tokens_out, 0),
        CASE WHEN o.tokens_out IS NULL THEN 0 ELSE 1 END,
        CASE WHEN r.verdict IS NULL THEN 0 ELSE 1 END, \(verdictCounts("r.verdict", sign: "1"))
      FROM prompt_versions pv JOIN prompt_template_versions tv ON tv.id = pv.template_version_id
      JOIN outputs o ON o.prompt_version_id = pv.id
      LEFT JOIN output_reviews r ON r.output_id = o.id
      WHERE \(versionFilter)
      """
  }

  /// `accepted, changes_requested, rejected` for one verdict, each `sign` or 0.
  static func verdictCounts(_ verdict: String, sign: String) -> String {
    ["accepted", "changes_requested", "rejected"].map {
      "CASE WHEN \(verdict) = '\($0)' THEN \(sign) ELSE 0 END"
    }.joined(separator: ", ")
  }

  // MARK: Seconds to the first output

  /// Buckets of seconds from a generation to its first output, five to a doubling: bucket `b`
  /// holds `[2^(b/5), 2^((b+1)/5))`, each about 15 % wide; bucket 0 everything below
  /// `2^(1/5)` s, the last everything from `2^(99/5)` s (about 10.7 days) on.
  static let bucketCount = 100

  /// The lower bound of each bucket but the first (which has none): `2^(b/5)` for b in 1...99.
  static let bucketBounds: [Double] = (1..<bucketCount).map { pow(2, Double($0) / 5) }

  /// The bucket of a number of seconds, as `bucketExpression` computes it in SQL.
  static func bucket(ofSeconds seconds: Double) -> Int {
    bucketBounds.firstIndex { seconds < $0 } ?? bucketCount - 1
  }

  /// The bucket of the SQL expression `seconds`.
  static func bucketExpression(_ seconds: String) -> String {
    let cases = bucketBounds.enumerated().map {
      "WHEN \(seconds) < \($0.element) THEN \($0.offset)"
    }
    return "CASE \(cases.joined(separator: " ")) ELSE \(bucketCount - 1) END"
  }

  /// Seconds from the timestamp column `start` to `end`.
  static func seconds(from start: String, to end: String, sqlite: Bool) -> String {
    sqlite ? "(\(end) - \(start))" : "extract(epoch FROM (\(end) - \(start)))"
  }

  /// The histogram's columns, `b0` to `b99`.
  static let bucketColumns = (0..<bucketCount).map { "b\($0)" }

  /// One histogram row's columns for a row of `prompt_version_first_outputs` (`f`): 1 in its
  /// bucket's column, 0 elsewhere; `aggregate` sums them per group.
  static func bucketIndicators(aggregate: Bool) -> String {
    bucketColumns.enumerated().map {
      let indicator = "CASE WHEN f.bucket = \($0.offset) THEN 1 ELSE 0 END"
      return aggregate ? "SUM(\(indicator))" : indicator
    }.joined(separator: ", ")
  }
}
