import Foundation
import NIOCore

/// Where output bytes live, addressed by their SHA-256. Implementations: a local folder
/// (`FileBlobStorage`) and an S3-compatible bucket (`S3BlobStorage`).
///
/// Writes are idempotent (the same key always holds the same bytes), so a retried or
/// concurrent upload of the same content is harmless.
protocol BlobStorage: Sendable {
  /// `file` or `s3`, for logs.
  var kind: String { get }
  /// Stores `bytes` under `key`; when this returns, the object is durable.
  func put(key: BlobKey, bytes: ByteBuffer, contentType: String) async throws
  /// The object's bytes, or nil when there is none.
  func get(key: BlobKey) async throws -> ByteBuffer?
  func exists(key: BlobKey) async throws -> Bool
  /// Removes the object at `path` (a listed path); removing a missing object is not an error.
  func delete(path: String) async throws
  /// Every stored object, with its last modification time (for the cleanup's grace period).
  func list() async throws -> [StoredObject]
}

extension BlobStorage {
  func delete(key: BlobKey) async throws {
    try await delete(path: key.path)
  }
}

/// A SHA-256 in lowercase hex, the name of a stored object.
struct BlobKey: Hashable, Sendable, CustomStringConvertible {
  let sha256: String

  init?(sha256: String) {
    guard sha256.count == 64, sha256.utf8.allSatisfy({ Self.isLowerHex($0) }) else { return nil }
    self.sha256 = sha256
  }

  /// The content-addressed path, `ab/cd/<sha256>`: two levels of 256 folders keep any one
  /// folder small.
  var path: String {
    let hex = Array(sha256)
    return "\(hex[0])\(hex[1])/\(hex[2])\(hex[3])/\(sha256)"
  }

  /// The key a content-addressed path names, or nil for anything else (temporary files).
  init?(path: String) {
    let parts = path.split(separator: "/").map(String.init)
    guard parts.count >= 3, let key = BlobKey(sha256: parts[parts.count - 1]),
      key.path == parts.suffix(3).joined(separator: "/")
    else { return nil }
    self = key
  }

  var description: String { sha256 }

  private static func isLowerHex(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
      || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
  }
}

/// One object as a listing sees it. `key` is nil for something that is not a blob (a temporary
/// file left by a crash), which the cleanup removes by `path` once it is old enough.
struct StoredObject: Sendable, Equatable {
  let path: String
  let key: BlobKey?
  let size: Int
  let modifiedAt: Date
}

/// A storage back end failed; the upload or download answers 503, and the log has the cause.
struct StorageError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
