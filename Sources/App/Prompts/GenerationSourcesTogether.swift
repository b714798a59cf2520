import Foundation
import SQLKit

/// A generation's issue and template (`GenerationService.sourceStatements`) in one statement,
/// for PostgreSQL: one round trip and one execution instead of two statements on two
/// connections. Each is a `LEFT JOIN LATERAL` of its own statement, unchanged, so the row has
/// the columns of both (their names differ) and says which of them found a row.
struct GenerationSourcesTogether: FixedStatement {
  static let sql = """
    SELECT issue_row.*, template_row.*
    FROM (SELECT 1) AS one
    LEFT JOIN LATERAL (
      SELECT TRUE AS issue_found, source.* FROM (\(GenerationIssue.Statement.sql)) AS source
    ) AS issue_row ON TRUE
    LEFT JOIN LATERAL (
      SELECT TRUE AS template_found, source.*
      FROM (\(renumbered(GenerationTemplate.Statement.sql, after: 2))) AS source
    ) AS template_row ON TRUE
    """

  let issue: GenerationIssue.Statement
  let template: GenerationTemplate.Statement

  var values: [BoundValue] { issue.values + template.values }

  /// The rows each statement would have read: the one row, or none.
  func split(_ row: (any SQLRow)?) throws -> [[any SQLRow]] {
    guard let row else { return [[], []] }
    let issueFound = try row.decode(column: "issue_found", as: Bool?.self) ?? false
    let templateFound = try row.decode(column: "template_found", as: Bool?.self) ?? false
    return [issueFound ? [row] : [], templateFound ? [row] : []]
  }

  /// `sql` with each `$n` written `$(n + offset)`, for a statement whose values come after
  /// `offset` others.
  static func renumbered(_ sql: String, after offset: Int) -> String {
    sql.replacing(/\$([0-9]+)/) { match in "$" + String(Int(match.1)! + offset) }
  }
}
