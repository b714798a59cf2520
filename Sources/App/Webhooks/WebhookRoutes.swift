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
/// processed by a job. A delivery seen before (Jira's `X-Atlassian-Webhook-Identifier`, else the
/// body's SHA-256) answers 202 with the job it queued then, and queues nothing, for as long as
/// finished jobs are kept (`JOBS_RETENTION_DAYS`): a captured delivery cannot be replayed.
struct WebhookRoutes: RouteCollection {
  func boot(routes: any RoutesBuilder) throws {
    routes.on(.POST, "webhooks", "jira", ":trackerID", body: .collect(maxSize: "1mb"), use: receive)
    routes.on(
      .POST, "webhooks", "github", ":trackerID", body: .collect(maxSize: "1mb"),
      use: receiveGitHub)
    routes.on(
      .POST, "webhooks", "gitlab", ":trackerID", body: .collect(maxSize: "1mb"),
      use: receiveGitLab)
    routes.on(
      .POST, "webhooks", "linear", ":trackerID", body: .collect(maxSize: "1mb"),
      use: receiveLinear)
  }

  func receive(req: Request) async throws -> Response {
    let (tracker, secret) = try await Self.tracker(req, types: ["jira-cloud", "jira-dc"])
    let body = req.body.data.map { Data(buffer: $0) } ?? Data()
    let signed = WebhookSignature.verify(
      body: body, header: req.headers.first(name: "X-Hub-Signature"), secret: secret)
    let tokenMatches = req.query[String.self, at: "token"].map {
      WebhookSignature.tokensMatch($0, secret)
    }
    guard signed || tokenMatches == true else {
      throw Self.refuseSignature(req, tracker: tracker)
    }
    let event = try Self.json(body)
    guard let key = event["issue"]?["key"]?.stringValue else {
      throw AppError.validation(field: "issue.key", reason: "is required")
    }
    guard !NULCharacter.isIn(key) else {
      throw AppError.validation(field: "issue.key", reason: NULCharacter.reason)
    }
    let delivery =
      req.headers.first(name: "X-Atlassian-Webhook-Identifier").map { "id:" + $0 }
      ?? "sha256:" + SHA256Digest.hex(body)
    return try await Self.enqueue(
      req, tracker: tracker, key: key, event: event["webhookEvent"]?.stringValue ?? "unknown",
      delivery: delivery)
  }

  /// A delivery's body as JSON; 400 on the body otherwise.
  static func json(_ body: Data) throws -> JSONValue {
    do {
      return try JSONValue(parsing: body)
    } catch {
      throw AppError.badRequest("is not valid JSON", field: "body")
    }
  }

  /// The tracker a delivery names, live and of `type`, and its webhook secret; 404 otherwise.
  static func tracker(_ req: Request, types: Set<String>) async throws -> (Tracker, String) {
    guard let id = req.parameters.get("trackerID", as: UUID.self),
      let tracker = try await Tracker.find(id, on: req.db), tracker.archivedAt == nil,
      types.contains(tracker.type), let sealed = tracker.webhookSecret
    else {
      throw AppError.notFound("Webhook")
    }
    let secret = String(
      decoding: try TrackerSyncJob.service(app: req.application, logger: req.logger).cipher.open(
        sealed, for: .webhookSecret(of: id)), as: UTF8.self)
    return (tracker, secret)
  }

  static func refuseSignature(_ req: Request, tracker: Tracker) -> AppError {
    req.logger.warning(
      "Webhook signature refused",
      metadata: [
        "tracker": .string(tracker.id?.lowercasedText ?? ""),
        "ip": "\(req.clientInfo.ip ?? "-")",
      ])
    return AppError(
      .unauthorized, type: "invalid-signature", title: "Unauthorized",
      detail: "The webhook signature or token does not match.")
  }

  /// Queues the re-read of `key` once per delivery (202 with the job, the same job for a
  /// delivery seen before).
  static func enqueue(
    _ req: Request, tracker: Tracker, key: String, event: String, delivery: String
  ) async throws -> Response {
    let id = try tracker.requireID()
    let request = try JobRequest(
      kind: .processWebhook,
      payload: WebhookPayload(trackerId: id, issueKey: key, event: event),
      uniqueKey: "webhook:\(id.lowercasedText):\(delivery)", uniqueness: .forever,
      tenant: JobTenant.of(company: tracker.$company.id))
    let result = try await req.application.jobs.queue.enqueue(request)
    if !result.inserted {
      req.logger.info(
        "Webhook delivery seen before: not queued again",
        metadata: ["tracker": .string(id.lowercasedText), "delivery": .string(delivery)])
    }
    let response = Response(status: .accepted)
    try response.content.encode(JobAccepted(jobId: result.job.id.lowercasedText))
    return response
  }
}
