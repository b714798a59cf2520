import Foundation
import Vapor

/// An output as the API shows it; `deduplicated` only in the answer to its upload.
struct OutputResponse: Content {
  let id: String
  let promptVersionId: String
  let kind: String
  let filename: String?
  /// SHA-256 of the content, lowercase hex.
  let checksum: String
  let size: Int
  let contentType: String
  let scanStatus: String
  let tokensOut: Int?
  let ide: String?
  let creatorId: String
  let createdAt: Date?
  var deduplicated: Bool?
  /// The current review; null until someone reviews the output.
  let review: ReviewResponse?

  init(
    _ output: Output, deduplicated: Bool? = nil, review: OutputReview? = nil,
    names: UserNames = .none
  ) throws {
    id = try output.requireID().lowercasedText
    promptVersionId = output.$promptVersion.id.lowercasedText
    kind = output.kind
    filename = output.filename
    checksum = output.$blob.id
    size = output.size
    contentType = output.contentType
    scanStatus = output.scanStatus
    tokensOut = output.tokensOut
    ide = output.ide
    creatorId = output.$creator.id.lowercasedText
    createdAt = output.createdAt
    self.deduplicated = deduplicated
    self.review = review.map { ReviewResponse($0, names: names) }
  }

  private enum CodingKeys: String, CodingKey {
    case id, promptVersionId, kind, filename, checksum, size, contentType, scanStatus, tokensOut
    case ide, creatorId, createdAt, deduplicated, review
  }

  /// The bytes `encode(to:)` gives through the application's `JSONEncoder`, written directly
  /// (`JSONByteWriter`), for the answer to an upload, which has no review yet: through
  /// `JSONEncoder` it was 1.7 % of the server's CPU under uploads (perf, 2026-12-07).
  /// `OutputResponseJSONTests` compares both.
  func uploadJSON(allocator: ByteBufferAllocator) -> ByteBuffer {
    precondition(review == nil, "an upload's answer has no review")
    var json = JSONByteWriter(buffer: allocator.buffer(capacity: 512))
    let optional = { (writer: inout JSONByteWriter, value: String?) in
      if let value { writer.string(value) } else { writer.null() }
    }
    json.beginObject()
    json.key("checksum")
    json.string(checksum)
    json.key("contentType")
    json.string(contentType)
    json.key("createdAt")
    if let createdAt { json.date(createdAt) } else { json.null() }
    json.key("creatorId")
    json.string(creatorId)
    if let deduplicated {
      json.key("deduplicated")
      json.boolean(deduplicated)
    }
    json.key("filename")
    optional(&json, filename)
    json.key("id")
    json.string(id)
    json.key("ide")
    optional(&json, ide)
    json.key("kind")
    json.string(kind)
    json.key("promptVersionId")
    json.string(promptVersionId)
    json.key("review")
    json.null()
    json.key("scanStatus")
    json.string(scanStatus)
    json.key("size")
    json.integer(size)
    json.key("tokensOut")
    if let tokensOut { json.integer(tokensOut) } else { json.null() }
    json.endObject()
    return json.buffer
  }

  /// Absent values are `null` rather than missing, except `deduplicated` outside uploads.
  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(id, forKey: .id)
    try container.encode(promptVersionId, forKey: .promptVersionId)
    try container.encode(kind, forKey: .kind)
    try container.encode(filename, forKey: .filename)
    try container.encode(checksum, forKey: .checksum)
    try container.encode(size, forKey: .size)
    try container.encode(contentType, forKey: .contentType)
    try container.encode(scanStatus, forKey: .scanStatus)
    try container.encode(tokensOut, forKey: .tokensOut)
    try container.encode(ide, forKey: .ide)
    try container.encode(creatorId, forKey: .creatorId)
    try container.encode(createdAt, forKey: .createdAt)
    try container.encodeIfPresent(deduplicated, forKey: .deduplicated)
    try container.encode(review, forKey: .review)
  }
}
