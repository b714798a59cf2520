import Fluent

/// Issues deleted at their tracker: `deleted_at` takes them out of every list and of new
/// generations, while the prompts made from them keep pointing at them. The index serves
/// `GET /issues?deleted=true`, a company's deleted issues in id order.
struct UpdateIssuesAddDeletedAt: AsyncMigration {
  func prepare(on database: any Database) async throws {
    try await database.schema("issues").field("deleted_at", .datetime).update()
    try await database.createIndex(
      "issues_company_id_deleted_at_id_idx", on: "issues",
      columns: ["company_id", "deleted_at", "id"])
  }

  func revert(on database: any Database) async throws {
    try await database.sql.drop(index: "issues_company_id_deleted_at_id_idx").run()
    try await database.schema("issues").deleteField("deleted_at").update()
  }
}
