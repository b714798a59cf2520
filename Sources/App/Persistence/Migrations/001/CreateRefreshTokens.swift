import Fluent

struct CreateRefreshTokens: AsyncMigration {
  func prepare(on database: any Database) async throws {
    try await database.schema("refresh_token_families")
      .field("id", .uuid, .identifier(auto: false))
      .field("user_id", .uuid, .required, .references("users", "id"))
      .field("created_at", .datetime, .required)
      .field("revoked_at", .datetime)
      .field("revoked_reason", .string)
      .create()
    try await database.createIndex(
      "refresh_token_families_user_id_idx", on: "refresh_token_families", columns: ["user_id"])

    try await database.schema("refresh_tokens")
      .field("id", .uuid, .identifier(auto: false))
      .field("family_id", .uuid, .required, .references("refresh_token_families", "id"))
      .field("user_id", .uuid, .required, .references("users", "id"))
      .field("parent_id", .uuid, .references("refresh_tokens", "id"))
      .field("token_hash", .string, .required)
      .field("expires_at", .datetime, .required)
      .field("rotated_at", .datetime)
      .field("created_at", .datetime, .required)
      .unique(on: "token_hash", name: "refresh_tokens_token_hash_key")
      .create()
    try await database.createIndex(
      "refresh_tokens_family_id_idx", on: "refresh_tokens", columns: ["family_id"])
    try await database.createIndex(
      "refresh_tokens_user_id_idx", on: "refresh_tokens", columns: ["user_id"])
    try await database.createIndex(
      "refresh_tokens_parent_id_idx", on: "refresh_tokens", columns: ["parent_id"])
  }

  func revert(on database: any Database) async throws {
    try await database.schema("refresh_tokens").delete()
    try await database.schema("refresh_token_families").delete()
  }
}
