import Fluent

/// Which repositories, projects or teams a tracker syncs (GitHub, GitLab, Linear), as the JSON
/// of `TrackerScope`.
struct UpdateTrackersAddScope: AsyncMigration {
  func prepare(on database: any Database) async throws {
    try await database.schema("trackers").field("scope_json", .string).update()
  }

  func revert(on database: any Database) async throws {
    try await database.schema("trackers").deleteField("scope_json").update()
  }
}
