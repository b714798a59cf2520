import Foundation

/// The histograms of seconds to the first output: per UTC day of generation, and per period of
/// 16 such days, so that a long range adds up a row per version and period plus the days at
/// its ends. A histogram row holds 100 buckets; summing a year of daily rows took SQLite 4.7 ms
/// (1,000,000 generations, 2026-12-06), most of the statistics' budget.
struct LatencyRollup: Sendable {
  let table: String
  /// The period column: `day` or `period`.
  let period: String
  /// The period of a first output, from its `day` column (`column`).
  let ofDay: @Sendable (_ column: String) -> String

  var key: String { "company_id, template_id, \(period), template_version_id" }

  static let daysPerPeriod = 16
  static let daily = LatencyRollup(
    table: "template_version_daily_latency", period: "day", ofDay: { $0 })
  static let periodic = LatencyRollup(
    table: "template_version_period_latency", period: "period",
    ofDay: { "(\($0) / \(daysPerPeriod))" })
  static let all = [daily, periodic]

  /// Adds the first outputs of `source` (rows of `prompt_version_first_outputs` as `f`, with
  /// `filter`) to this histogram, grouped when `grouped` (one row may hold several).
  func add(from source: String, filter: String, sqlite: Bool, grouped: Bool) -> String {
    let columns = TemplateVersionFacts.bucketColumns
    return """
      INSERT INTO \(table)\(sqlite ? "" : " AS s") (\(key), \(columns.joined(separator: ", ")))
      SELECT f.company_id, f.template_id, \(ofDay("f.day")), f.template_version_id,
        \(TemplateVersionFacts.bucketIndicators(aggregate: grouped))
      FROM \(source) WHERE \(filter)
      \(grouped ? "GROUP BY 1, 2, 3, 4" : "")
      ON CONFLICT (\(key)) DO UPDATE SET \(CreateTemplateVersionStats.increments(
        columns, target: sqlite ? "" : "s.", excluded: sqlite ? "excluded" : "EXCLUDED"))
      """
  }
}
