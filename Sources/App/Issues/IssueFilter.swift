import Fluent
import FluentSQL
import Foundation
import SQLKit

/// Which of a company's issues a list shows: one definition for `GET /issues`, MCP's
/// `list_my_issues` tool and its issue resources.
struct IssueFilter {
  let companyID: UUID
  /// `status_category` values; nil: any.
  var statusCategories: [String]?
  var assigneeID: UUID?
  var trackerID: UUID?
  /// `q=`: a key or words from the title (`IssueSearch`).
  var text: String?
  /// The issues deleted at their tracker instead of the others (`?deleted=true`).
  var deleted = false

  /// The `status` values lists take, and the categories each stands for.
  static let statuses: [String: [String]] = [
    "open": ["todo", "in_progress"], "todo": ["todo"], "in_progress": ["in_progress"],
    "done": ["done"],
  ]

  /// The categories `status` stands for, or a 422 naming the field.
  static func categories(_ status: String) throws -> [String] {
    guard let categories = statuses[status] else {
      throw AppError.validation(field: "status", reason: "must be open, todo, in_progress or done")
    }
    return categories
  }

  /// The filter as SQL conditions, for SQLKit's and Fluent's queries alike.
  func conditions(on sql: any SQLDatabase) -> [any SQLExpression] {
    var conditions: [any SQLExpression] = [
      SQLBinaryExpression(SQLColumn("company_id"), .equal, SQLBind(companyID)),
      SQLBinaryExpression(SQLColumn("deleted_at"), deleted ? .isNot : .is, SQLLiteral.null),
    ]
    if let statusCategories {
      conditions.append(
        SQLBinaryExpression(
          SQLColumn("status_category"), SQLBinaryOperator.in,
          SQLGroupExpression(statusCategories.map { SQLBind($0) })))
    }
    if let assigneeID {
      conditions.append(SQLBinaryExpression(SQLColumn("assignee_id"), .equal, SQLBind(assigneeID)))
    }
    if let trackerID {
      conditions.append(SQLBinaryExpression(SQLColumn("tracker_id"), .equal, SQLBind(trackerID)))
    }
    if let text, !text.isEmpty {
      conditions.append(IssueSearch.condition(text, on: sql))
    }
    return conditions
  }

  /// A Fluent query of the issues the filter lets through.
  func query(on database: any Database) -> QueryBuilder<Issue> {
    conditions(on: database.sql).reduce(Issue.query(on: database)) { query, condition in
      query.filter(.sql(condition))
    }
  }
}
