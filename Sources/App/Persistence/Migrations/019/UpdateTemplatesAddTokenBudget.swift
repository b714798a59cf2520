import Fluent

/// Token budgets: a template version may declare `max_tokens`, and a prompt version records
/// whether its request allowed going over it.
struct UpdateTemplatesAddTokenBudget: AsyncMigration {
  func prepare(on database: any Database) async throws {
    try await database.schema("prompt_templates").field("max_tokens", .int).update()
    try await database.schema("prompt_template_versions").field("max_tokens", .int).update()
    try await database.schema("prompt_versions")
      .field("allow_over_budget", .bool, .required, .sql(.default(false))).update()
  }

  func revert(on database: any Database) async throws {
    try await database.schema("prompt_versions").deleteField("allow_over_budget").update()
    try await database.schema("prompt_template_versions").deleteField("max_tokens").update()
    try await database.schema("prompt_templates").deleteField("max_tokens").update()
  }
}
