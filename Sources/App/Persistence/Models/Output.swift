import Fluent
import Foundation

/// One capture of what an assistant produced for a prompt version: text or a file, whose bytes
/// are the blob it points at.
final class Output: Model, @unchecked Sendable {
  static let schema = "outputs"

  @ID(custom: .id, generatedBy: .user) var id: UUID?
  @Parent(key: "company_id") var company: Company
  @Parent(key: "prompt_version_id") var promptVersion: PromptVersion
  @Parent(key: "creator_id") var creator: User
  @Parent(key: "blob_sha256") var blob: Blob
  /// `text` or `file`: which form field carried it.
  @Field(key: "kind") var kind: String
  @OptionalField(key: "filename") var filename: String?
  /// The detected content type (never the client's claim).
  @Field(key: "content_type") var contentType: String
  @Field(key: "size") var size: Int
  @Field(key: "scan_status") var scanStatus: String
  @OptionalField(key: "tokens_out") var tokensOut: Int?
  @OptionalField(key: "ide") var ide: String?
  @Timestamp(key: "created_at", on: .create) var createdAt: Date?

  init() {}
}
