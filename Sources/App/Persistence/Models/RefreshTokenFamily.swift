import Fluent
import Foundation

/// One login's chain of rotated refresh tokens; access tokens carry its id as `sid`.
///
/// Revoking the family (logout, reuse detection, password change) ends the whole session at
/// once: every access token of the family is refused on its next request.
final class RefreshTokenFamily: Model, @unchecked Sendable {
  static let schema = "refresh_token_families"

  @ID(custom: .id, generatedBy: .user) var id: UUID?
  @Parent(key: "user_id") var user: User
  @Timestamp(key: "created_at", on: .create) var createdAt: Date?
  @OptionalField(key: "revoked_at") var revokedAt: Date?
  @OptionalField(key: "revoked_reason") var revokedReason: String?

  init() {}

  init(id: UUID = .v7(), userID: UUID) {
    self.id = id
    self.$user.id = userID
  }
}
