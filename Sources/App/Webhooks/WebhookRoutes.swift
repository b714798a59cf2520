import Fluent
import Jobs
import Templating
import Trackers
import Vapor

/// The payload of a `process-webhook` job.
struct WebhookPayload: Codable, Sendable {
  let trackerId: UUID
  let issueKey: String
  let event: String
}

/// `POST /webhooks/jira/:trackerId`: Jira's push, for self-hosted Jira that the poller reaches
/// late. Verified by `X-Hub-Signature` (HMAC-SHA256 with the tracker's webhook secret) or, for
/// versions that cannot sign, a `?token=` equal to that secret; answered at once with 202 and
/// processed by a job.
struct WebhookRoutes: RouteCollection {
  func boot(routes: any RoutesBuilder) throws {
    routes.on(.POST, "webhooks", "jira", ":trackerID", body: .collect(maxSize: "1mb"), use: receive)
  }

  func receive(req: Request) async throws -> Response {
    guard let id = req.parameters.get("trackerID", as: UUID.self),
      let tracker = try await Tracker.find(id, on: req.db), tracker.archivedAt == nil,
      let sealed = tracker.webhookSecret
    else {
      throw AppError.notFound("Webhook")
    }
    let secret = String(decoding: try req.trackers.cipher.open(sealed), as: UTF8.self)
    let body = req.body.data.map { Data(buffer: $0) } ?? Data()
    let signed = WebhookSignature.verify(
      body: body, header: req.headers.first(name: "X-Hub-Signature"), secret: secret)
    let tokenMatches = req.query[String.self, at: "token"].map {
      WebhookSignature.tokensMatch($0, secret)
    }
    guard signed || tokenMatches == true else {
      req.logger.warning(
        "Webhook signature refused",
        metadata: [
          "tracker": .string(id.uuidString.lowercased()), "ip": "\(req.clientInfo.ip ?? "-")",
        ])
      throw AppError(
        .unauthorized, type: "invalid-signature", title: "Unauthorized",
        detail: "The webhook signature or token does not match.")
    }
    let event: Templating.JSONValue
    do {
      event = try Templating.JSONValue(parsing: body)
    } catch {
      throw AppError.badRequest("is not valid JSON", field: "body")
    }
    guard let key = event["issue"]?["key"]?.stringValue else {
      throw AppError.validation(field: "issue.key", reason: "is required")
    }
    guard !NULCharacter.isIn(key) else {
      throw AppError.validation(field: "issue.key", reason: NULCharacter.reason)
    }
    let result = try await req.application.jobs.queue.enqueue(
      .processWebhook,
      payload: WebhookPayload(
        trackerId: id, issueKey: key, event: event["webhookEvent"]?.stringValue ?? "unknown"),
      tenant: JobTenant.of(company: tracker.$company.id))
    let response = Response(status: .accepted)
    try response.content.encode(JobAccepted(jobId: result.job.id.uuidString.lowercased()))
    return response
  }
}

/// `process-webhook`: re-reads the issue from the tracker and upserts it; a deleted issue is
/// kept for the prompts made from it, marked done.
struct WebhookJob: JobHandler {
  let app: Application

  func handle(_ job: JobRecord, context: JobContext) async throws {
    let payload = try job.decodePayload(as: WebhookPayload.self)
    guard let tracker = try await Tracker.find(payload.trackerId, on: app.db),
      tracker.archivedAt == nil
    else { return }
    if payload.event == "jira:issue_deleted" {
      try await Issue.query(on: app.db)
        .filter(\.$tracker.$id == payload.trackerId)
        .filter(\.$externalKey == payload.issueKey)
        .set(\.$statusCategory, to: "done").set(\.$status, to: "Deleted")
        .update()
      return
    }
    let service = TrackerSyncJob.service(app: app, logger: context.logger)
    let issue = try await service.client(for: tracker).fetchIssue(externalKey: payload.issueKey)
    _ = try await TrackerSync(database: app.db, logger: context.logger)
      .upsert(issue, tracker: tracker, on: app.db)
  }
}
