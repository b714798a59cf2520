import Fluent

/// Single-use `state` values of the Jira Cloud OAuth flow, stored as SHA-256 hashes.
struct CreateOAuthStates: AsyncMigration {
  func prepare(on database: any Database) async throws {
    try await database.schema("oauth_states")
      .field("id", .uuid, .identifier(auto: false))
      .field("state_hash", .string, .required)
      .field("tracker_id", .uuid, .required, .references("trackers", "id"))
      .field("user_id", .uuid, .required, .references("users", "id"))
      .field("expires_at", .datetime, .required)
      .field("used_at", .datetime)
      .field("created_at", .datetime, .required)
      .unique(on: "state_hash", name: "oauth_states_state_hash_key")
      .create()
    try await database.createIndex(
      "oauth_states_tracker_id_idx", on: "oauth_states", columns: ["tracker_id"])
    try await database.createIndex(
      "oauth_states_user_id_idx", on: "oauth_states", columns: ["user_id"])
  }

  func revert(on database: any Database) async throws {
    try await database.schema("oauth_states").delete()
  }
}
