import Fluent

/// Outgoing webhooks: the URLs a company's admins subscribed to template events, and one row
/// per delivery attempt.
struct CreateWebhookSubscriptions: AsyncMigration {
  func prepare(on database: any Database) async throws {
    try await database.schema("webhook_subscriptions")
      .field("id", .uuid, .identifier(auto: false))
      .field("company_id", .uuid, .required, .references("companies", "id"))
      .field("url", .string, .required)
      .field("events_json", .string, .required)
      .field("secret_sealed", .string, .required)
      .field("created_by", .uuid, .required, .references("users", "id"))
      .field("created_at", .datetime, .required)
      .create()
    try await database.createIndex(
      "webhook_subscriptions_company_id_idx", on: "webhook_subscriptions", columns: ["company_id"])
    try await database.createIndex(
      "webhook_subscriptions_created_by_idx", on: "webhook_subscriptions", columns: ["created_by"])

    try await database.schema("webhook_deliveries")
      .field("id", .uuid, .identifier(auto: false))
      .field(
        "subscription_id", .uuid, .required,
        .references("webhook_subscriptions", "id", onDelete: .cascade)
      )
      .field("event_id", .uuid, .required)
      .field("event", .string, .required)
      .field("attempt", .int, .required)
      .field("status", .string, .required)
      .field("response_code", .int)
      .field("duration_ms", .int, .required)
      .field("error", .string)
      .field("created_at", .datetime, .required)
      .create()
    try await database.createIndex(
      "webhook_deliveries_subscription_id_idx", on: "webhook_deliveries",
      columns: ["subscription_id", "id"])
  }

  func revert(on database: any Database) async throws {
    try await database.schema("webhook_deliveries").delete()
    try await database.schema("webhook_subscriptions").delete()
  }
}
