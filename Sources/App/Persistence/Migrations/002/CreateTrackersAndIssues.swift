import Fluent
import SQLKit

/// Trackers and their synced issues. The tracker integrations add their own columns later;
/// prompts only need an issue's normalised fields.
struct CreateTrackersAndIssues: AsyncMigration {
  func prepare(on database: any Database) async throws {
    try await database.schema("trackers")
      .field("id", .uuid, .identifier(auto: false))
      .field("company_id", .uuid, .required, .references("companies", "id"))
      .field("type", .string, .required)
      .field("name", .string, .required)
      .field("base_url", .string, .required)
      .field("auth_json", .string)
      .field("created_at", .datetime, .required)
      .field("updated_at", .datetime)
      .create()
    try await database.createIndex(
      "trackers_company_id_idx", on: "trackers", columns: ["company_id"])

    try await database.schema("issues")
      .field("id", .uuid, .identifier(auto: false))
      .field("company_id", .uuid, .required, .references("companies", "id"))
      .field("tracker_id", .uuid, .required, .references("trackers", "id"))
      .field("ext_key", .string, .required)
      .field("title", .string, .required)
      .field("description_md", .string, .required)
      .field("criteria_md", .string, .required)
      .field("status", .string, .required)
      .field("status_category", .string, .required)
      .field("priority", .string)
      .field("issue_type", .string)
      .field("labels_json", .string, .required)
      .field("assignee_id", .uuid, .references("users", "id"))
      .field("assignee_name", .string)
      .field("assignee_email", .string)
      .field("url", .string)
      .field("payload_json", .string, .required)
      .field("external_updated_at", .datetime)
      .field("created_at", .datetime, .required)
      .field("updated_at", .datetime)
      .unique(on: "tracker_id", "ext_key", name: "issues_tracker_id_ext_key_key")
      .create()
    try await database.createIndex(
      "issues_company_id_idx", on: "issues", columns: ["company_id", "status_category"])
    try await database.createIndex("issues_assignee_id_idx", on: "issues", columns: ["assignee_id"])
  }

  func revert(on database: any Database) async throws {
    try await database.schema("issues").delete()
    try await database.schema("trackers").delete()
  }
}
