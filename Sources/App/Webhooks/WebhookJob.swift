import Fluent
import Jobs
import Templating
import Trackers
import Vapor

/// `process-webhook`: re-reads the issue from the tracker and stores what it says
/// (``IssueRefresh``): the event only says which issue to look at.
struct WebhookJob: JobHandler {
  let app: Application

  func handle(_ job: JobRecord, context: JobContext) async throws {
    let payload = try job.decodePayload(as: WebhookPayload.self)
    guard let tracker = try await Tracker.find(payload.trackerId, on: app.db),
      tracker.archivedAt == nil
    else { return }
    let client = try TrackerSyncJob.service(app: app, logger: context.logger).client(for: tracker)
    _ = try await IssueRefresh(database: app.db, logger: context.logger)
      .refresh(key: payload.issueKey, tracker: tracker, client: client)
  }
}
