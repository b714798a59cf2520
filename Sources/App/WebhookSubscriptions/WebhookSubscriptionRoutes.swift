import Fluent
import Foundation
import Trackers
import Vapor

/// `/webhook-subscriptions`: admins subscribe URLs to template events and read each one's
/// delivery log.
struct WebhookSubscriptionRoutes: RouteCollection {
  /// Each subscription is a job per event: a company cannot make the deployment's workers post
  /// without bound.
  static let maximumPerCompany = 25

  func boot(routes: any RoutesBuilder) throws {
    let admins = routes.grouped("webhook-subscriptions").grouped(RequireRole(.admin))
    admins.post(use: create)
    admins.get(use: list)
    admins.delete(":subscriptionID", use: delete)
    admins.get(":subscriptionID", "deliveries", use: deliveries)
  }

  func create(req: Request) async throws -> Response {
    let principal = try req.principal
    let body = try req.decodeBody(CreateSubscriptionRequest.self)
    let url = body.url.trimmingCharacters(in: .whitespaces)
    do {
      _ = try await req.application.appConfig.outbound.admit(url)
    } catch {
      throw AppError.validation(field: "url", reason: error.description)
    }
    var events: [String] = []
    for (index, name) in body.events.enumerated() where !events.contains(name) {
      guard TemplateEvent(rawValue: name) != nil else {
        throw AppError.validation(
          field: "events/\(index)",
          reason: "must be one of " + TemplateEvent.allCases.map(\.rawValue).joined(separator: ", ")
        )
      }
      events.append(name)
    }
    let count = try await WebhookSubscription.query(on: req.db)
      .filter(\.$company.$id == principal.companyID).count()
    guard count < Self.maximumPerCompany else {
      throw AppError.conflict(
        "The company has \(count) subscriptions, the most it may have; delete one first.")
    }
    let id = UUID.v7()
    let secret = Self.newSecret()
    let subscription = WebhookSubscription(
      id: id, companyID: principal.companyID, url: url, events: events,
      secretSealed: try CredentialCipher.configured(req.application.appConfig).seal(
        Data(secret.utf8), for: .signingSecret(of: id)),
      createdBy: principal.userID)
    let auditor = try req.auditor
    let subscribed = events
    try await req.db.writeTransaction { transaction in
      try await subscription.create(on: transaction)
      try await auditor.record(
        .webhookSubscriptionCreated, .webhook, id: id, changed: ["url", "events"],
        details: ["events": subscribed.joined(separator: ",")], on: transaction)
    }
    let response = Response(status: .created)
    try response.content.encode(try SubscriptionResponse(subscription, secret: secret))
    response.headers.replaceOrAdd(
      name: .location, value: "/webhook-subscriptions/\(id.lowercasedText)")
    return response
  }

  func list(req: Request) async throws -> [SubscriptionResponse] {
    try await WebhookSubscription.query(on: req.db)
      .filter(\.$company.$id == req.principal.companyID).sort(\.$id).all()
      .map { try SubscriptionResponse($0) }
  }

  func delete(req: Request) async throws -> HTTPStatus {
    let subscription = try await Self.subscription(req)
    let auditor = try req.auditor
    try await req.db.writeTransaction { transaction in
      try await WebhookDelivery.query(on: transaction)
        .filter(\.$subscription.$id == subscription.requireID()).delete()
      try await subscription.delete(on: transaction)
      try await auditor.record(
        .webhookSubscriptionDeleted, .webhook, id: try subscription.requireID(),
        on: transaction)
    }
    return .noContent
  }

  /// The newest attempts first; `limit` 1 to 200 (default 50).
  func deliveries(req: Request) async throws -> [DeliveryResponse] {
    let subscription = try await Self.subscription(req)
    let limit = try req.query.get(Int?.self, at: "limit") ?? 50
    guard (1...200).contains(limit) else {
      throw AppError.validation(field: "limit", reason: "must be 1 to 200")
    }
    return try await WebhookDelivery.query(on: req.db)
      .filter(\.$subscription.$id == subscription.requireID()).sort(\.$id, .descending)
      .limit(limit).all().map { try DeliveryResponse($0) }
  }

  private static func subscription(_ req: Request) async throws -> WebhookSubscription {
    guard
      let subscription = try await WebhookSubscription.query(on: req.db)
        .filter(\.$id == req.idParameter("subscriptionID", "Webhook subscription"))
        .filter(\.$company.$id == req.principal.companyID).first()
    else { throw AppError.notFound("Webhook subscription") }
    return subscription
  }

  /// `whsec_` and 32 random bytes, base64url: the receiver's HMAC key is this text's UTF-8.
  static func newSecret() -> String {
    var generator = SystemRandomNumberGenerator()
    let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    return "whsec_" + Data(bytes).base64URLEncodedString
  }
}

struct CreateSubscriptionRequest: Decodable {
  let url: String
  let events: [String]
}

struct SubscriptionResponse: Content {
  let id: String
  let url: String
  let events: [String]
  /// Only in the answer to `POST`: it is never shown again.
  let secret: String?
  let createdAt: Date?

  init(_ subscription: WebhookSubscription, secret: String? = nil) throws {
    id = try subscription.requireID().lowercasedText
    url = subscription.url
    events = subscription.events
    self.secret = secret
    createdAt = subscription.createdAt
  }
}

struct DeliveryResponse: Content {
  let id: String
  let eventId: String
  let event: String
  let attempt: Int
  let status: String
  let responseCode: Int?
  let durationMs: Int
  let error: String?
  let createdAt: Date?

  init(_ delivery: WebhookDelivery) throws {
    id = try delivery.requireID().lowercasedText
    eventId = delivery.eventID.lowercasedText
    event = delivery.event
    attempt = delivery.attempt
    status = delivery.status
    responseCode = delivery.responseCode
    durationMs = delivery.durationMilliseconds
    error = delivery.error
    createdAt = delivery.createdAt
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(id, forKey: .id)
    try container.encode(eventId, forKey: .eventId)
    try container.encode(event, forKey: .event)
    try container.encode(attempt, forKey: .attempt)
    try container.encode(status, forKey: .status)
    try container.encode(responseCode, forKey: .responseCode)
    try container.encode(durationMs, forKey: .durationMs)
    try container.encode(error, forKey: .error)
    try container.encode(createdAt, forKey: .createdAt)
  }
}
