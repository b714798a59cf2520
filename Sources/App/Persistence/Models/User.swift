import Fluent
import Foundation

final class User: Model, @unchecked Sendable {
  static let schema = "users"

  @ID(custom: .id, generatedBy: .user) var id: UUID?
  @Parent(key: "company_id") var company: Company
  /// Stored lower-cased: addresses are unique across the deployment, compared case-insensitively.
  @Field(key: "email") var email: String
  @Field(key: "name") var name: String
  @Enum(key: "role") var role: Role
  @Field(key: "password_hash") var passwordHash: String
  @Field(key: "disabled") var disabled: Bool
  @Timestamp(key: "created_at", on: .create) var createdAt: Date?
  @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

  init() {}

  init(
    id: UUID = .v7(), companyID: UUID, email: String, name: String, role: Role,
    passwordHash: String
  ) {
    self.id = id
    self.$company.id = companyID
    self.email = User.normalize(email: email)
    self.name = name
    self.role = role
    self.passwordHash = passwordHash
    self.disabled = false
  }

  static func normalize(email: String) -> String {
    email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
  }
}
