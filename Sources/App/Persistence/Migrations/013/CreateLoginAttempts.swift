import Fluent

/// Login attempts reserved before the password is verified: a burst of parallel attempts sees
/// each other's reservations, where counting failures recorded after the 250 ms bcrypt let a
/// whole burst through together.
struct CreateLoginAttempts: AsyncMigration {
  func prepare(on database: any Database) async throws {
    try await database.schema("login_attempts")
      .field("id", .uuid, .identifier(auto: false))
      .field("email", .string, .required)
      .field("ip_bucket", .string)
      .field("outcome", .string, .required)
      .field("created_at", .datetime, .required)
      .create()
    try await database.createIndex(
      "login_attempts_email_created_at_idx", on: "login_attempts",
      columns: ["email", "created_at"])
    try await database.createIndex(
      "login_attempts_ip_bucket_created_at_idx", on: "login_attempts",
      columns: ["ip_bucket", "created_at"])
  }

  func revert(on database: any Database) async throws {
    try await database.schema("login_attempts").delete()
  }
}
