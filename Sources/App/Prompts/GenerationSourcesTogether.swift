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
    \(lateral(GenerationIssue.Statement.sql, as: "issue", after: 0))
    \(lateral(GenerationTemplate.Statement.sql, as: "template", after: 2))
    """

  let issue: GenerationIssue.Statement
  let template: GenerationTemplate.Statement

  var values: [BoundValue] { issue.values + template.values }

  /// The rows each statement would have read: the one row, or none.
  func split(_ row: (any SQLRow)?) throws -> [[any SQLRow]] {
    try Self.rows(row, found: ["issue", "template"])
  }

  /// `sql` joined as `<name>_row`, with a column `<name>_found` that is true when it found a
  /// row, its placeholders numbered after `offset` values of the statements before it and
  /// written by `parameter` (`$n` by default).
  static func lateral(
    _ sql: String, as name: String, after offset: Int,
    parameter: (Int) -> String = { "$" + String($0) }
  ) -> String {
    """
    LEFT JOIN LATERAL (
      SELECT TRUE AS \(name)_found, source.*
      FROM (\(renumbered(sql, after: offset, parameter: parameter))) AS source
    ) AS \(name)_row ON TRUE
    """
  }

  /// For each name, the row when its statement found one, else none.
  static func rows(_ row: (any SQLRow)?, found names: [String]) throws -> [[any SQLRow]] {
    try names.map { name in
      guard let row, try row.decode(column: name + "_found", as: Bool?.self) == true else {
        return []
      }
      return [row]
    }
  }

  /// `sql` with each `$n` written `$(n + offset)` (or `parameter(n + offset)`), for a
  /// statement whose values come after `offset` others.
  static func renumbered(
    _ sql: String, after offset: Int, parameter: (Int) -> String = { "$" + String($0) }
  ) -> String {
    sql.replacing(/\$([0-9]+)/) { match in parameter(Int(match.1)! + offset) }
  }
}

/// On PostgreSQL, `POST /prompts/generate`'s session check and its issue and template
/// (`GenerationSourcesRead`) in one statement: one snapshot and one round trip where there
/// were two, the second on two connections. The columns of the three statements have distinct
/// names (the session's user name is `user_name` for this).
struct SessionAndGenerationSources: FixedStatement {
  static let sql = """
    SELECT session_row.*, issue_row.*, template_row.*
    FROM (SELECT 1) AS one
    \(laterals())
    """

  /// The values: the session's two, the issue's two, the template's four.
  static let valueCount = 8

  /// The three statements, each joined as `<name>_row`, their values written by `parameter`.
  static func laterals(parameter: (Int) -> String = { "$" + String($0) }) -> String {
    let together = GenerationSourcesTogether.self
    return [
      together.lateral(SessionLookup.Statement.sql, as: "session", after: 0, parameter: parameter),
      together.lateral(GenerationIssue.Statement.sql, as: "issue", after: 2, parameter: parameter),
      together.lateral(
        GenerationTemplate.Statement.sql, as: "template", after: 4, parameter: parameter),
    ].joined(separator: "\n")
  }

  let session: SessionLookup.Statement
  let sources: GenerationSourcesTogether

  /// The session's statement with a generation's two (`GenerationService.sourceStatements`);
  /// nil for any other companions.
  init?(session: SessionLookup.Statement, companions: [any FixedStatement]) {
    guard companions.count == 2, let issue = companions[0] as? GenerationIssue.Statement,
      let template = companions[1] as? GenerationTemplate.Statement
    else { return nil }
    self.session = session
    sources = GenerationSourcesTogether(issue: issue, template: template)
  }

  var values: [BoundValue] { session.values + sources.values }

  /// The rows of the session's statement, then the issue's and the template's.
  func split(_ row: (any SQLRow)?) throws -> [[any SQLRow]] {
    try GenerationSourcesTogether.rows(row, found: ["session", "issue", "template"])
  }
}
