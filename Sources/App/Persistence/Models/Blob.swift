import Fluent
import Foundation

/// Stored bytes, keyed by their SHA-256 (lowercase hex); any number of outputs share one.
final class Blob: Model, @unchecked Sendable {
  static let schema = "blobs"

  @ID(custom: "sha256", generatedBy: .user) var id: String?
  @Field(key: "size") var size: Int
  @Timestamp(key: "created_at", on: .create) var createdAt: Date?

  init() {}

  init(sha256: String, size: Int) {
    self.id = sha256
    self.size = size
  }
}
