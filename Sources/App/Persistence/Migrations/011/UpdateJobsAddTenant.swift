import Fluent
import Jobs
import SQLKit

/// Jobs belong to a company: a tracker's sync and webhook jobs to the tracker's company, so that
/// one company's admins never see another's. Existing tracker jobs are backfilled from their
/// payload's `trackerId`; the rest (output cleanup) stay the deployment's own.
struct UpdateJobsAddTenant: AsyncMigration {
  func prepare(on database: any Database) async throws {
    let sql = database.sql
    try await JobsSchema.addTenant(on: sql)
    try await Self.backfill(on: sql)
  }

  /// Gives tracker jobs without a tenant their tracker's company.
  static func backfill(on sql: any SQLDatabase) async throws {
    let trackerID: SQLQueryString =
      sql.engine == .postgres
      ? "(jobs.payload::jsonb ->> 'trackerId')::uuid"
      : "upper(json_extract(jobs.payload, '$.trackerId'))"
    let companyID: SQLQueryString =
      sql.engine == .postgres ? "trackers.company_id::text" : "lower(trackers.company_id)"
    try await sql.raw(
      """
      UPDATE jobs SET tenant = (SELECT \(companyID) FROM trackers \
      WHERE trackers.id = \(trackerID)) \
      WHERE tenant IS NULL \
      AND kind IN ('sync-jira-issues', 'sync-teamwork-issues', 'process-webhook')
      """
    ).run()
  }

  func revert(on database: any Database) async throws {
    let sql = database.sql
    try await sql.drop(index: "jobs_tenant_id_idx").run()
    try await sql.alter(table: "jobs").dropColumn("tenant").run()
  }
}
