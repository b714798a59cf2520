import Fluent
import SQLKit

/// Content-addressed blobs and the outputs that point at them.
struct CreateOutputsAndBlobs: AsyncMigration {
  func prepare(on database: any Database) async throws {
    try await database.schema("blobs")
      .field("sha256", .string, .identifier(auto: false))
      .field("size", .int64, .required)
      .field("created_at", .datetime, .required)
      .create()

    try await database.schema("outputs")
      .field("id", .uuid, .identifier(auto: false))
      .field("company_id", .uuid, .required, .references("companies", "id"))
      .field("prompt_version_id", .uuid, .required, .references("prompt_versions", "id"))
      .field("creator_id", .uuid, .required, .references("users", "id"))
      .field("blob_sha256", .string, .required, .references("blobs", "sha256"))
      .field("kind", .string, .required)
      .field("filename", .string)
      .field("content_type", .string, .required)
      .field("size", .int64, .required)
      .field("scan_status", .string, .required)
      .field("tokens_out", .int)
      .field("ide", .string)
      .field("created_at", .datetime, .required)
      .create()
    // `GET /outputs?promptVersionId=` pages one version's outputs in id order.
    try await database.createIndex(
      "outputs_prompt_version_id_id_idx", on: "outputs", columns: ["prompt_version_id", "id"])
    try await database.createIndex(
      "outputs_company_id_id_idx", on: "outputs", columns: ["company_id", "id"])
    try await database.createIndex("outputs_creator_id_idx", on: "outputs", columns: ["creator_id"])
    // The cleanup's "is this blob still referenced" check, and the foreign key's own checks.
    try await database.createIndex(
      "outputs_blob_sha256_idx", on: "outputs", columns: ["blob_sha256"])
    try await database.createIndex("blobs_created_at_idx", on: "blobs", columns: ["created_at"])
  }

  func revert(on database: any Database) async throws {
    try await database.schema("outputs").delete()
    try await database.schema("blobs").delete()
  }
}
