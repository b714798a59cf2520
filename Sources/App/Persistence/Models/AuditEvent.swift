import Fluent
import Foundation

final class AuditEvent: Model, @unchecked Sendable {
  static let schema = "audit_events"

  @ID(custom: .id, generatedBy: .user) var id: UUID?
  @OptionalParent(key: "company_id") var company: Company?
  @OptionalParent(key: "user_id") var user: User?
  @Field(key: "action") var action: String
  @OptionalField(key: "attempted_email") var attemptedEmail: String?
  @OptionalField(key: "ip") var ip: String?
  @OptionalField(key: "user_agent") var userAgent: String?
  @OptionalField(key: "request_id") var requestID: String?
  @OptionalField(key: "details_json") var detailsJSON: String?
  @OptionalField(key: "entity_type") var entityType: String?
  @OptionalField(key: "entity_id") var entityID: UUID?
  /// A JSON array of field names; never their values.
  @OptionalField(key: "changed_fields") var changedFieldsJSON: String?
  @Timestamp(key: "created_at", on: .create) var createdAt: Date?

  init() {}
}
