import Fluent

/// When a tracker's last full sweep ended: the daily full listing that finds the issues the
/// tracker deleted without telling us (GitLab sends no event for a deletion, and any webhook can
/// be missed).
struct UpdateTrackersAddSweptAt: AsyncMigration {
  func prepare(on database: any Database) async throws {
    try await database.schema("trackers").field("swept_at", .datetime).update()
  }

  func revert(on database: any Database) async throws {
    try await database.schema("trackers").deleteField("swept_at").update()
  }
}
