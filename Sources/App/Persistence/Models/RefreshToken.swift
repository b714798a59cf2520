import Fluent
import Foundation

/// A refresh token, stored only as the SHA-256 hash of its random value.
final class RefreshToken: Model, @unchecked Sendable {
  static let schema = "refresh_tokens"

  @ID(custom: .id, generatedBy: .user) var id: UUID?
  @Parent(key: "family_id") var family: RefreshTokenFamily
  @Parent(key: "user_id") var user: User
  @OptionalParent(key: "parent_id") var parent: RefreshToken?
  @Field(key: "token_hash") var tokenHash: String
  @Field(key: "expires_at") var expiresAt: Date
  /// Set once, by the atomic claim that rotates this token.
  @OptionalField(key: "rotated_at") var rotatedAt: Date?
  @Timestamp(key: "created_at", on: .create) var createdAt: Date?

  init() {}
}
