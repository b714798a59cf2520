import Fluent

/// Personal access tokens (`ps_pat_…`) for IDEs and scripts, stored as SHA-256 hashes.
struct CreatePersonalAccessTokens: AsyncMigration {
  func prepare(on database: any Database) async throws {
    try await database.schema("personal_access_tokens")
      .field("id", .uuid, .identifier(auto: false))
      .field("user_id", .uuid, .required, .references("users", "id"))
      .field("company_id", .uuid, .required, .references("companies", "id"))
      .field("name", .string, .required)
      .field("token_hash", .string, .required)
      .field("created_at", .datetime, .required)
      .field("last_used_at", .datetime)
      .field("expires_at", .datetime, .required)
      .field("revoked_at", .datetime)
      .unique(on: "token_hash", name: "personal_access_tokens_token_hash_key")
      .create()
    try await database.createIndex(
      "personal_access_tokens_user_id_idx", on: "personal_access_tokens", columns: ["user_id"])
    try await database.createIndex(
      "personal_access_tokens_company_id_idx", on: "personal_access_tokens",
      columns: ["company_id"])
  }

  func revert(on database: any Database) async throws {
    try await database.schema("personal_access_tokens").delete()
  }
}
