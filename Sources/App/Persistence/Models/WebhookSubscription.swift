import Fluent
import Foundation
import JSONCore

/// A URL an admin subscribed to template events; deliveries are signed with its secret.
final class WebhookSubscription: Model, @unchecked Sendable {
  static let schema = "webhook_subscriptions"

  @ID(custom: .id, generatedBy: .user) var id: UUID?
  @Parent(key: "company_id") var company: Company
  @Field(key: "url") var url: String
  /// The event names, as a JSON array.
  @Field(key: "events_json") var eventsJSON: String
  /// The signing secret, sealed (`CredentialCipher.Binding.signingSecret`).
  @Field(key: "secret_sealed") var secretSealed: String
  @Parent(key: "created_by") var createdBy: User
  @Timestamp(key: "created_at", on: .create) var createdAt: Date?

  init() {}

  init(
    id: UUID, companyID: UUID, url: String, events: [String], secretSealed: String, createdBy: UUID
  ) {
    self.id = id
    self.$company.id = companyID
    self.url = url
    self.eventsJSON = JSONValue.array(events.map(JSONValue.string)).compactJSON
    self.secretSealed = secretSealed
    self.$createdBy.id = createdBy
  }

  var events: [String] {
    (try? JSONValue(parsing: eventsJSON))?.arrayValue?.compactMap(\.stringValue) ?? []
  }
}

/// One attempt to deliver one event to one subscription.
final class WebhookDelivery: Model, @unchecked Sendable {
  static let schema = "webhook_deliveries"

  @ID(custom: .id, generatedBy: .user) var id: UUID?
  @Parent(key: "subscription_id") var subscription: WebhookSubscription
  @Field(key: "event_id") var eventID: UUID
  @Field(key: "event") var event: String
  @Field(key: "attempt") var attempt: Int
  /// `delivered` or `failed`.
  @Field(key: "status") var status: String
  @OptionalField(key: "response_code") var responseCode: Int?
  @Field(key: "duration_ms") var durationMilliseconds: Int
  @OptionalField(key: "error") var error: String?
  @Timestamp(key: "created_at", on: .create) var createdAt: Date?

  init() {}
}
