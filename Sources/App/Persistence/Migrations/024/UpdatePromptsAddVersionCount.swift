import Fluent
import SQLKit

/// The number of a prompt's latest version, kept on the prompt: a generation takes the next
/// number with one `UPDATE … RETURNING`, whose row lock PostgreSQL holds only to the end of
/// the generation's one statement, and which reads the latest committed count after waiting
/// for it. A `MAX(version) + 1` read in the statement's snapshot needed a second snapshot, so
/// concurrent generations of one prompt fell back to a transaction holding the prompt row over
/// several round trips.
struct UpdatePromptsAddVersionCount: AsyncMigration {
  func prepare(on database: any Database) async throws {
    try await database.schema("prompts")
      .field("version_count", .int, .required, .sql(.default(0)))
      .update()
    try await database.sql.raw(
      """
      UPDATE prompts SET version_count = COALESCE(
        (SELECT MAX(version) FROM prompt_versions WHERE prompt_id = prompts.id), 0)
      """
    ).run()
  }

  func revert(on database: any Database) async throws {
    try await database.schema("prompts").deleteField("version_count").update()
  }
}
