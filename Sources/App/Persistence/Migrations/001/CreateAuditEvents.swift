import Fluent

struct CreateAuditEvents: AsyncMigration {
  func prepare(on database: any Database) async throws {
    try await database.schema("audit_events")
      .field("id", .uuid, .identifier(auto: false))
      .field("company_id", .uuid, .references("companies", "id"))
      .field("user_id", .uuid, .references("users", "id"))
      .field("action", .string, .required)
      .field("attempted_email", .string)
      .field("ip", .string)
      .field("user_agent", .string)
      .field("request_id", .string)
      .field("details_json", .string)
      .field("created_at", .datetime, .required)
      .create()
    try await database.createIndex(
      "audit_events_company_id_idx", on: "audit_events", columns: ["company_id", "created_at"])
    try await database.createIndex(
      "audit_events_user_id_idx", on: "audit_events", columns: ["user_id"])
  }

  func revert(on database: any Database) async throws {
    try await database.schema("audit_events").delete()
  }
}
