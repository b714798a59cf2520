import Fluent
import Foundation
import JSONCore
import Jobs
import SQLKit

/// The template events other systems can subscribe to.
enum TemplateEvent: String, CaseIterable, Sendable {
  case versionCreated = "template.version.created"
  case labelMoved = "template.label.moved"
}

extension JobKind {
  /// Sends one event to one subscribed URL (`WebhookDeliveryJob`).
  static let deliverWebhook: JobKind = "deliver-webhook"
}

/// Publishes template events: one `deliver-webhook` job per subscription of the company, in
/// the transaction of the change, so that an event goes out exactly when its change commits.
struct TemplateEvents: Sendable {
  /// Deliveries run on a queue of their own, so that slow receivers never hold up syncs.
  static let queueName = "webhooks"
  static let maxAttempts = 8

  let queue: JobQueue

  /// What a delivery job carries: the body is fixed once, so every attempt sends the same
  /// bytes with the same event id.
  struct Delivery: Codable, Sendable {
    let subscriptionId: UUID
    let eventId: UUID
    let event: String
    let body: String
  }

  func publish(
    _ event: TemplateEvent, companyID: UUID, data: JSONObject, on database: any Database
  ) async throws {
    let subscriptions = try await WebhookSubscription.query(on: database)
      .filter(\.$company.$id == companyID).all()
      .filter { $0.events.contains(event.rawValue) }
    guard !subscriptions.isEmpty else { return }
    let eventID = UUID.v7()
    let body: JSONValue = .object([
      "id": .string(eventID.lowercasedText),
      "type": .string(event.rawValue),
      "createdAt": .string(ISO8601DateFormatter().string(from: Date())),
      "companyId": .string(companyID.lowercasedText),
      "data": .object(data),
    ])
    let text = body.compactJSON
    for subscription in subscriptions {
      _ = try await queue.enqueue(
        JobRequest(
          kind: .deliverWebhook,
          payload: Delivery(
            subscriptionId: try subscription.requireID(), eventId: eventID, event: event.rawValue,
            body: text),
          queue: Self.queueName, maxAttempts: Self.maxAttempts,
          tenant: JobTenant.of(company: companyID)),
        on: database.sql)
    }
  }

  /// `template.version.created`.
  func versionCreated(
    _ template: PromptTemplate, version: Int, by userID: UUID, on database: any Database
  ) async throws {
    try await publish(
      .versionCreated, companyID: template.$company.id,
      data: [
        "templateId": .string(try template.requireID().lowercasedText),
        "templateName": .string(template.name),
        "version": .number(Double(version)),
        "createdBy": .string(userID.lowercasedText),
      ], on: database)
  }

  /// `template.label.moved`; `version` is nil where the label was removed.
  func labelMoved(
    _ template: PromptTemplate, label: String, version: Int?, previousVersion: Int?,
    by userID: UUID, on database: any Database
  ) async throws {
    try await publish(
      .labelMoved, companyID: template.$company.id,
      data: [
        "templateId": .string(try template.requireID().lowercasedText),
        "templateName": .string(template.name),
        "label": .string(label),
        "version": version.map { .number(Double($0)) } ?? .null,
        "previousVersion": previousVersion.map { .number(Double($0)) } ?? .null,
        "movedBy": .string(userID.lowercasedText),
      ], on: database)
  }
}
