import Fluent
import Jobs
import SQLKit

/// The durable job queue's table (see docs/jobs.md). On SQLite the schema runs in its own
/// `BEGIN IMMEDIATE` transaction.
struct CreateJobs: AsyncMigration {
  func prepare(on database: any Database) async throws {
    try await JobsSchema.createFirstVersion(on: database.sql)
  }

  func revert(on database: any Database) async throws {
    try await JobsSchema.drop(on: database.sql)
  }
}
