import Fluent
import Foundation

final class PersonalAccessToken: Model, @unchecked Sendable {
  static let schema = "personal_access_tokens"
  static let prefix = "ps_pat_"

  @ID(custom: .id, generatedBy: .user) var id: UUID?
  @Parent(key: "user_id") var user: User
  @Parent(key: "company_id") var company: Company
  @Field(key: "name") var name: String
  @Field(key: "token_hash") var tokenHash: String
  @Timestamp(key: "created_at", on: .create) var createdAt: Date?
  @OptionalField(key: "last_used_at") var lastUsedAt: Date?
  @Field(key: "expires_at") var expiresAt: Date
  @OptionalField(key: "revoked_at") var revokedAt: Date?

  init() {}

  init(userID: UUID, companyID: UUID, name: String, tokenHash: String, expiresAt: Date) {
    self.id = .v7()
    self.$user.id = userID
    self.$company.id = companyID
    self.name = name
    self.tokenHash = tokenHash
    self.expiresAt = expiresAt
  }
}

extension PersonalAccessToken {
  /// Revokes every live token of a user (a password change or reset: whoever knew the old
  /// password may have minted one) and returns how many it revoked.
  static func revokeAll(userID: UUID, at time: Date = Date(), on database: any Database)
    async throws -> Int
  {
    let live = PersonalAccessToken.query(on: database)
      .filter(\.$user.$id == userID).filter(\.$revokedAt == nil)
    let count = try await live.count()
    if count > 0 { try await live.set(\.$revokedAt, to: time).update() }
    return count
  }
}
