import Fluent
import SQLKit

/// `GET /issues?assignee=me` filters on company and assignee and pages in id order: with only
/// `(assignee_id)`, PostgreSQL read all of a developer's issues and sorted them to keep 51
/// (EXPLAIN at 100,000 issues, README "Performance"). This index yields them in id order.
struct UpdateIssuesAddAssigneeListIndex: AsyncMigration {
  func prepare(on database: any Database) async throws {
    try await database.createIndex(
      "issues_company_id_assignee_id_id_idx", on: "issues",
      columns: ["company_id", "assignee_id", "id"])
  }

  func revert(on database: any Database) async throws {
    try await database.sql.drop(index: "issues_company_id_assignee_id_id_idx")
      .run()
  }
}
