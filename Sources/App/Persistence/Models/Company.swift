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

extension Company {
  /// The deployment's first company (ids are UUIDv7, so in creation order): its operator's,
  /// the one `user create` adds to and the only one the deployment's own secrets serve.
  static func defaultCompany(on database: any Database) async throws -> Company? {
    try await Company.query(on: database).sort(\.$id).first()
  }
}
