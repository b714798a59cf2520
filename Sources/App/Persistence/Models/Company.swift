import Fluent
import Foundation

final class Company: Model, @unchecked Sendable {
  static let schema = "companies"

  @ID(custom: .id, generatedBy: .user) var id: UUID?
  @Field(key: "name") var name: String
  @Timestamp(key: "created_at", on: .create) var createdAt: Date?

  init() {}

  init(id: UUID = .v7(), name: String) {
    self.id = id
    self.name = name
  }
}
