import Fluent
import SQLKit

/// Template labels (`production`, `staging`, custom names), each naming one version, with the
/// history of every move; the company's four-eyes setting; and the label a prompt version was
/// generated through.
struct CreateTemplateLabels: AsyncMigration {
  func prepare(on database: any Database) async throws {
    try await database.schema("template_labels")
      .field("id", .uuid, .identifier(auto: false))
      .field("template_id", .uuid, .required, .references("prompt_templates", "id"))
      .field("label", .string, .required)
      .field("version", .int, .required)
      .field("moved_by", .uuid, .required, .references("users", "id"))
      .field("moved_at", .datetime, .required)
      .unique(on: "template_id", "label", name: "template_labels_template_label_key")
      .create()
    try await database.createIndex(
      "template_labels_moved_by_idx", on: "template_labels", columns: ["moved_by"])

    // One row per move, never changed; `version` is null where the label was removed, and
    // `sequence` numbers a label's moves in commit order (ids of one millisecond do not).
    try await database.schema("template_label_moves")
      .field("id", .uuid, .identifier(auto: false))
      .field("template_id", .uuid, .required, .references("prompt_templates", "id"))
      .field("label", .string, .required)
      .field("sequence", .int, .required)
      .field("version", .int)
      .field("previous_version", .int)
      .field("moved_by", .uuid, .required, .references("users", "id"))
      .field("moved_at", .datetime, .required)
      .unique(
        on: "template_id", "label", "sequence", name: "template_label_moves_sequence_key"
      )
      .create()
    try await database.createIndex(
      "template_label_moves_moved_by_idx", on: "template_label_moves", columns: ["moved_by"])

    // The labels only a second person may move a version to (JSON array; null: none).
    try await database.schema("companies").field("require_review_for", .string).update()
    try await database.schema("prompt_versions").field("template_label", .string).update()
  }

  func revert(on database: any Database) async throws {
    try await database.schema("prompt_versions").deleteField("template_label").update()
    try await database.schema("companies").deleteField("require_review_for").update()
    try await database.schema("template_label_moves").delete()
    try await database.schema("template_labels").delete()
  }
}
