import Fluent
import Foundation

final class Tracker: Model, @unchecked Sendable {
  static let schema = "trackers"

  @ID(custom: .id, generatedBy: .user) var id: UUID?
  @Parent(key: "company_id") var company: Company
  @Field(key: "type") var type: String
  @Field(key: "name") var name: String
  @Field(key: "base_url") var baseURL: String
  @OptionalField(key: "auth_json") var authJSON: String?
  @Timestamp(key: "created_at", on: .create) var createdAt: Date?
  @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

  init() {}

  init(id: UUID = .v7(), companyID: UUID, type: String, name: String, baseURL: String) {
    self.id = id
    self.$company.id = companyID
    self.type = type
    self.name = name
    self.baseURL = baseURL
  }
}
