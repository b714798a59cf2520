import Fluent

struct CreateUsers: AsyncMigration {
  func prepare(on database: any Database) async throws {
    try await database.schema("users")
      .field("id", .uuid, .identifier(auto: false))
      .field("company_id", .uuid, .required, .references("companies", "id"))
      .field("email", .string, .required)
      .field("name", .string, .required)
      .field("role", .string, .required)
      .field("password_hash", .string, .required)
      .field("disabled", .bool, .required)
      .field("created_at", .datetime, .required)
      .field("updated_at", .datetime)
      .unique(on: "email", name: "users_email_key")
      .create()
    try await database.createIndex("users_company_id_idx", on: "users", columns: ["company_id"])
  }

  func revert(on database: any Database) async throws {
    try await database.schema("users").delete()
  }
}
