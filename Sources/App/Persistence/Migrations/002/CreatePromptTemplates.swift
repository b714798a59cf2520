import Fluent
import SQLKit

/// Templates and their version history; `prompt_templates` points at the latest version.
struct CreatePromptTemplates: AsyncMigration {
  func prepare(on database: any Database) async throws {
    try await database.schema("prompt_templates")
      .field("id", .uuid, .identifier(auto: false))
      .field("company_id", .uuid, .required, .references("companies", "id"))
      .field("name", .string, .required)
      .field("body_md", .string, .required)
      .field("lint_json", .string)
      .field("latest_version", .int, .required)
      .field("created_by", .uuid, .required, .references("users", "id"))
      .field("archived_at", .datetime)
      .field("created_at", .datetime, .required)
      .field("updated_at", .datetime)
      .create()
    // Names are unique among a company's live templates; an archived name can be reused.
    let sql = database.sql
    try await sql.raw(
      """
      CREATE UNIQUE INDEX prompt_templates_company_id_name_key
      ON prompt_templates (company_id, name) WHERE archived_at IS NULL
      """
    ).run()
    try await database.createIndex(
      "prompt_templates_created_by_idx", on: "prompt_templates", columns: ["created_by"])

    try await database.schema("prompt_template_versions")
      .field("id", .uuid, .identifier(auto: false))
      .field("template_id", .uuid, .required, .references("prompt_templates", "id"))
      .field("version", .int, .required)
      .field("body_md", .string, .required)
      .field("lint_json", .string)
      .field("content_hash", .string, .required)
      .field("created_by", .uuid, .required, .references("users", "id"))
      .field("created_at", .datetime, .required)
      .unique(on: "template_id", "version", name: "prompt_template_versions_template_version_key")
      .create()
    try await database.createIndex(
      "prompt_template_versions_created_by_idx", on: "prompt_template_versions",
      columns: ["created_by"])
  }

  func revert(on database: any Database) async throws {
    try await database.schema("prompt_template_versions").delete()
    try await database.schema("prompt_templates").delete()
  }
}
