import Fluent

/// One current review per output: whether what the assistant produced was accepted, needed
/// changes or was rejected, with where the work went.
struct CreateOutputReviews: AsyncMigration {
  func prepare(on database: any Database) async throws {
    try await database.schema("output_reviews")
      .field("id", .uuid, .identifier(auto: false))
      .field("output_id", .uuid, .required, .references("outputs", "id"))
      .field("company_id", .uuid, .required, .references("companies", "id"))
      .field("verdict", .string, .required)
      .field("comment", .string)
      .field("links_json", .string, .required)
      .field("reviewed_by", .uuid, .required, .references("users", "id"))
      .field("reviewed_at", .datetime, .required)
      .unique(on: "output_id", name: "output_reviews_output_id_key")
      .create()
    try await database.createIndex(
      "output_reviews_company_id_verdict_idx", on: "output_reviews",
      columns: ["company_id", "verdict"])
    try await database.createIndex(
      "output_reviews_reviewed_by_idx", on: "output_reviews", columns: ["reviewed_by"])
  }

  func revert(on database: any Database) async throws {
    try await database.schema("output_reviews").delete()
  }
}
