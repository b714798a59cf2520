import Fluent
import Foundation

final class OAuthState: Model, @unchecked Sendable {
  static let schema = "oauth_states"
  static let lifetime: TimeInterval = 600

  @ID(custom: .id, generatedBy: .user) var id: UUID?
  @Field(key: "state_hash") var stateHash: String
  @Parent(key: "tracker_id") var tracker: Tracker
  @Parent(key: "user_id") var user: User
  @Field(key: "expires_at") var expiresAt: Date
  @OptionalField(key: "used_at") var usedAt: Date?
  @Timestamp(key: "created_at", on: .create) var createdAt: Date?

  init() {}

  init(stateHash: String, trackerID: UUID, userID: UUID, expiresAt: Date) {
    self.id = .v7()
    self.stateHash = stateHash
    self.$tracker.id = trackerID
    self.$user.id = userID
    self.expiresAt = expiresAt
  }
}
