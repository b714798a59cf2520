import Fluent
import Foundation
import Jobs
import Trackers
import Vapor

/// `deliver-webhook`: posts one event to one subscribed URL, signed, and logs the attempt. A
/// failure (no answer within the timeout, or not a 2xx) is retried by the queue with backoff,
/// and the job is dead after the last attempt; a deleted subscription ends the job quietly. A
/// receiver that never answers holds one delivery for `WEBHOOK_TIMEOUT_SECONDS`, and nothing
/// else: deliveries have a worker of their own.
struct WebhookDeliveryJob: JobHandler {
  let app: Application

  struct Failed: Error, CustomStringConvertible {
    let description: String
  }

  func handle(_ job: JobRecord, context: JobContext) async throws {
    let delivery = try job.decodePayload(as: TemplateEvents.Delivery.self)
    guard let subscription = try await WebhookSubscription.find(delivery.subscriptionId, on: app.db)
    else { return }
    let secret = String(
      decoding: try CredentialCipher.configured(app.appConfig).open(
        subscription.secretSealed, for: .signingSecret(of: delivery.subscriptionId)),
      as: UTF8.self)
    let body = Data(delivery.body.utf8)
    let sender = OutboundDelivery(
      client: app.http.client.shared, policy: app.appConfig.outbound,
      timeout: app.appConfig.webhookTimeout,
      logger: context.logger)
    let started = ContinuousClock.now
    let outcome = await sender.post(
      subscription.url, body: body,
      headers: [
        (
          "X-Promptsmith-Signature",
          OutboundDelivery.signature(body: body, secret: secret, at: Date())
        ),
        ("X-Promptsmith-Event", delivery.event),
        ("X-Promptsmith-Delivery", delivery.eventId.lowercasedText),
      ])
    let elapsed = ContinuousClock.now - started
    let record = WebhookDelivery()
    record.id = .v7()
    record.$subscription.id = delivery.subscriptionId
    record.eventID = delivery.eventId
    record.event = delivery.event
    record.attempt = job.attempt
    record.status = outcome.delivered ? "delivered" : "failed"
    record.responseCode = outcome.status
    record.durationMilliseconds = Int(
      elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    record.error = outcome.failure
    do {
      try await app.db.writeTransaction { try await record.create(on: $0) }
    } catch let error as any DatabaseError where error.isConstraintFailure {
      // The subscription was deleted during the attempt: nothing left to log to.
      return
    }
    if let failure = outcome.failure { throw Failed(description: failure) }
  }
}
