import Fluent
import Jobs
import SQLKit

/// Jobs remember when their latest attempt failed, for the jobs dashboard's failures per hour.
/// Existing jobs have no such time: their failures predate the column.
struct UpdateJobsAddFailedAt: AsyncMigration {
  func prepare(on database: any Database) async throws {
    try await JobsSchema.addFailedAt(on: database.sql)
  }

  func revert(on database: any Database) async throws {
    let sql = database.sql
    try await sql.drop(index: "jobs_failed_at_idx").run()
    try await sql.alter(table: "jobs").dropColumn("failed_at").run()
  }
}
