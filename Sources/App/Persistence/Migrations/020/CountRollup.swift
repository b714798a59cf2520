import Foundation

/// The two rollups of migration 020's counts, alike but for their period: UTC days, which a
/// long range adds up a row per version and day of, and quarter hours, which make the partial
/// days at either end of a range exact in any time zone (every UTC offset is a multiple of 15
/// minutes) from at most 96 rows a day instead of the day's prompts.
struct CountRollup: Sendable {
  let table: String
  /// The period column: `day` or `quarter`.
  let period: String
  /// The period number of a timestamp column.
  let number: @Sendable (_ column: String, _ sqlite: Bool) -> String

  var key: String { "company_id, template_id, \(period), template_version_id" }

  static let daily = CountRollup(
    table: "template_version_daily_stats", period: "day",
    number: { CreateGenerationDailyStats.day($0, sqlite: $1) })
  static let quarterly = CountRollup(
    table: "template_version_quarter_stats", period: "quarter",
    number: { CreateGenerationQuarterStats.quarter($0, sqlite: $1) })
  static let all = [daily, quarterly]

  /// `ON CONFLICT … DO UPDATE SET column = column + excluded.column, …`, for a target table
  /// aliased `s` on PostgreSQL.
  func upsert(_ columns: [String], sqlite: Bool) -> String {
    "ON CONFLICT (\(key)) DO UPDATE SET "
      + CreateTemplateVersionStats.increments(
        columns, target: sqlite ? "" : "s.", excluded: sqlite ? "excluded" : "EXCLUDED")
  }

  /// `INSERT INTO table [AS s] (key, columns)`.
  func insert(_ columns: [String], sqlite: Bool) -> String {
    "INSERT INTO \(table)\(sqlite ? "" : " AS s") (\(key), \(columns.joined(separator: ", ")))"
  }
}
