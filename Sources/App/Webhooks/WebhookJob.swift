import Fluent
import Jobs
import Templating
import Trackers
import Vapor

/// `process-webhook`: re-reads the issue from the tracker and upserts it. A deletion is believed
/// only when the tracker no longer has the issue (a signed event can still be an old one): the
/// issue gets `deleted_at`, which takes it out of the lists and of new generations and keeps it
/// for the prompts made from it.
struct WebhookJob: JobHandler {
  let app: Application

  func handle(_ job: JobRecord, context: JobContext) async throws {
    let payload = try job.decodePayload(as: WebhookPayload.self)
    guard let tracker = try await Tracker.find(payload.trackerId, on: app.db),
      tracker.archivedAt == nil
    else { return }
    let service = TrackerSyncJob.service(app: app, logger: context.logger)
    let issue: TrackerIssue
    do {
      issue = try await service.client(for: tracker).fetchIssue(externalKey: payload.issueKey)
    } catch TrackerError.notFound(let detail) where detail.contains(payload.issueKey) {
      // The 404 is the issue's own (its key is in the URL), not another resource's.
      try await Issue.query(on: app.db)
        .filter(\.$tracker.$id == payload.trackerId)
        .filter(\.$externalKey == payload.issueKey).filter(\.$deletedAt == nil)
        .set(\.$deletedAt, to: Date())
        .update()
      return
    }
    _ = try await TrackerSync(database: app.db, logger: context.logger)
      .upsert(issue, tracker: tracker, on: app.db)
  }
}
