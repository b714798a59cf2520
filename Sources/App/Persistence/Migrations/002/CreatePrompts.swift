import Fluent
import SQLKit

/// Prompts, their immutable versions and the generation events statistics read.
struct CreatePrompts: AsyncMigration {
  func prepare(on database: any Database) async throws {
    try await database.schema("prompts")
      .field("id", .uuid, .identifier(auto: false))
      .field("company_id", .uuid, .required, .references("companies", "id"))
      .field("issue_id", .uuid, .required, .references("issues", "id"))
      .field("template_id", .uuid, .required, .references("prompt_templates", "id"))
      .field("creator_id", .uuid, .required, .references("users", "id"))
      .field("created_at", .datetime, .required)
      .unique(
        on: "issue_id", "template_id", "creator_id", name: "prompts_issue_template_creator_key"
      )
      .create()
    try await database.createIndex("prompts_company_id_idx", on: "prompts", columns: ["company_id"])
    try await database.createIndex(
      "prompts_template_id_idx", on: "prompts", columns: ["template_id"])
    try await database.createIndex("prompts_creator_id_idx", on: "prompts", columns: ["creator_id"])

    try await database.schema("prompt_versions")
      .field("id", .uuid, .identifier(auto: false))
      .field("prompt_id", .uuid, .required, .references("prompts", "id"))
      .field("company_id", .uuid, .required, .references("companies", "id"))
      .field("creator_id", .uuid, .required, .references("users", "id"))
      .field("version", .int, .required)
      .field("body_text", .string, .required)
      .field("tokens_estimate", .int, .required)
      .field("encoding", .string, .required)
      .field("model", .string, .required)
      .field(
        "template_version_id", .uuid, .required, .references("prompt_template_versions", "id")
      )
      .field("override_body_md", .string)
      .field("override_lint_json", .string)
      .field("vars_json", .string, .required)
      .field("issue_snapshot_sha256", .string, .required)
      .field("created_at", .datetime, .required)
      .unique(on: "prompt_id", "version", name: "prompt_versions_prompt_id_version_key")
      .create()
    try await database.createIndex(
      "prompt_versions_company_id_idx", on: "prompt_versions", columns: ["company_id"])
    try await database.createIndex(
      "prompt_versions_creator_id_idx", on: "prompt_versions", columns: ["creator_id"])
    try await database.createIndex(
      "prompt_versions_template_version_id_idx", on: "prompt_versions",
      columns: ["template_version_id"])
    try await ImmutableRows.protect("prompt_versions", on: database)

    try await database.schema("generation_events")
      .field("id", .uuid, .identifier(auto: false))
      .field("company_id", .uuid, .required, .references("companies", "id"))
      .field("prompt_version_id", .uuid, .required, .references("prompt_versions", "id"))
      .field("template_id", .uuid, .required, .references("prompt_templates", "id"))
      .field("user_id", .uuid, .required, .references("users", "id"))
      .field("tokens_in", .int, .required)
      .field("tokens_out", .int)
      .field("ide", .string)
      .field("timestamp", .datetime, .required)
      .create()
    // Covers the statistics queries: a range of one company's events, counted, summed and
    // grouped from the index alone, without visiting the table.
    try await database.createIndex(
      "generation_events_company_id_timestamp_idx", on: "generation_events",
      columns: ["company_id", "timestamp", "tokens_in", "template_id", "ide"])
    try await database.createIndex(
      "generation_events_prompt_version_id_idx", on: "generation_events",
      columns: ["prompt_version_id"])
    try await database.createIndex(
      "generation_events_template_id_idx", on: "generation_events", columns: ["template_id"])
    try await database.createIndex(
      "generation_events_user_id_idx", on: "generation_events", columns: ["user_id"])
  }

  func revert(on database: any Database) async throws {
    try await database.schema("generation_events").delete()
    try await ImmutableRows.unprotect("prompt_versions", on: database)
    try await database.schema("prompt_versions").delete()
    try await database.schema("prompts").delete()
  }
}
