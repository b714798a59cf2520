import NIOCore

/// The fields of a `POST /outputs` form, as read from the body stream.
struct UploadForm: Sendable {
  enum Kind: String, Sendable {
    case text
    case file
  }

  /// 5 MiB of content; exactly this much is accepted.
  static let maximumContentBytes = 5 * 1024 * 1024
  /// Room for the small fields, part headers and boundaries around the content.
  static let maximumOverheadBytes = 64 * 1024
  static let maximumFieldBytes = 1024
  static let maximumParts = 16

  var promptVersionID: String?
  var tokensOut: String?
  var ide: String?
  var kind: Kind?
  var filename: String?
  var content: ByteBuffer?
}
