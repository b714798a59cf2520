import Crypto
import Foundation

/// Encrypts tracker credentials at rest with AES-256-GCM.
///
/// The envelope `v1.<key id>.<base64 nonce+ciphertext+tag>` names the key that sealed it, so that
/// a new `ENCRYPTION_KEY` can be introduced while `ENCRYPTION_KEY_PREVIOUS` still opens old rows.
struct CredentialCipher: Sendable {
  struct Key: Sendable {
    let id: String
    let key: SymmetricKey

    init(_ bytes: [UInt8]) {
      key = SymmetricKey(data: bytes)
      id = String(
        SHA256Digest.hex(String(decoding: Data(bytes).base64EncodedData(), as: UTF8.self)).prefix(8)
      )
    }
  }

  enum Failure: Error, CustomStringConvertible {
    case malformed
    case unknownKey(String)
    case tampered

    var description: String {
      switch self {
      case .malformed: "the stored credential is not an encryption envelope"
      case .unknownKey(let id): "the credential was sealed with key \(id), which is not configured"
      case .tampered: "the stored credential failed authentication"
      }
    }
  }

  let current: Key
  let previous: [Key]

  func seal(_ plaintext: Data) throws -> String {
    let box = try AES.GCM.seal(plaintext, using: current.key)
    guard let combined = box.combined else { throw Failure.malformed }
    return "v1.\(current.id).\(combined.base64EncodedString())"
  }

  func open(_ envelope: String) throws -> Data {
    let parts = envelope.split(separator: ".", maxSplits: 2).map(String.init)
    guard parts.count == 3, parts[0] == "v1", let combined = Data(base64Encoded: parts[2]) else {
      throw Failure.malformed
    }
    guard let key = ([current] + previous).first(where: { $0.id == parts[1] }) else {
      throw Failure.unknownKey(parts[1])
    }
    do {
      return try AES.GCM.open(AES.GCM.SealedBox(combined: combined), using: key.key)
    } catch {
      throw Failure.tampered
    }
  }

  /// Whether the envelope was sealed with an older key (for `keys rotate`).
  func needsRotation(_ envelope: String) -> Bool {
    !envelope.hasPrefix("v1.\(current.id).")
  }
}
