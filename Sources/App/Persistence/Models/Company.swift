import Fluent
import Foundation
import JSONCore

final class Company: Model, @unchecked Sendable {
  static let schema = "companies"

  @ID(custom: .id, generatedBy: .user) var id: UUID?
  @Field(key: "name") var name: String
  /// The labels only a second person may move a version to, as a JSON array (nil: none).
  @OptionalField(key: "require_review_for") var requireReviewForJSON: String?
  @Timestamp(key: "created_at", on: .create) var createdAt: Date?

  init() {}

  init(id: UUID = .v7(), name: String) {
    self.id = id
    self.name = name
  }
}

extension Company {
  /// The labels under four-eyes review (`PATCH /companies/current`).
  var requireReviewFor: [String] {
    get {
      requireReviewForJSON.flatMap {
        try? JSONDecoder().decode([String].self, from: Data($0.utf8))
      } ?? []
    }
    set {
      requireReviewForJSON =
        newValue.isEmpty
        ? nil : JSONValue.array(newValue.map(JSONValue.string)).compactJSON
    }
  }

  /// The deployment's first company (ids are UUIDv7, so in creation order): its operator's,
  /// the one `user create` adds to and the only one the deployment's own secrets serve.
  static func defaultCompany(on database: any Database) async throws -> Company? {
    try await Company.query(on: database).sort(\.$id).first()
  }
}
