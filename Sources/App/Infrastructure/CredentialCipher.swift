import Crypto
import Foundation

/// Encrypts tracker credentials and webhook signing secrets at rest with AES-256-GCM.
///
/// The envelope `v2.<key id>.<base64 nonce+ciphertext+tag>` names the key that sealed it, so that
/// a new `ENCRYPTION_KEY` can be introduced while `ENCRYPTION_KEY_PREVIOUS` still opens old rows.
/// A v2 envelope is bound (GCM's associated data) to the tracker and the column it belongs to:
/// copied to another tracker's row, or from `auth_json` to `webhook_secret`, it no longer opens,
/// so someone who can write the database cannot make one company's tracker use another's
/// credentials. `v1` envelopes (unbound, before this) still open; `keys rotate` re-seals them.
struct CredentialCipher: Sendable {
  /// What a sealed value is: a tracker's column, or a webhook subscription's secret.
  struct Binding: Sendable, Equatable {
    enum Field: String, Sendable {
      case auth
      case webhookSecret = "webhook-secret"
      case signingSecret = "signing-secret"
    }
    enum Owner: String, Sendable {
      case tracker
      case webhookSubscription = "webhook-subscription"
    }
    let owner: Owner
    let id: UUID
    let field: Field

    static func auth(of trackerID: UUID) -> Binding {
      Binding(owner: .tracker, id: trackerID, field: .auth)
    }
    static func webhookSecret(of trackerID: UUID) -> Binding {
      Binding(owner: .tracker, id: trackerID, field: .webhookSecret)
    }
    /// The secret outgoing deliveries of a subscription are signed with.
    static func signingSecret(of subscriptionID: UUID) -> Binding {
      Binding(owner: .webhookSubscription, id: subscriptionID, field: .signingSecret)
    }

    var associatedData: Data {
      Data("promptsmith/\(owner.rawValue)/\(id.lowercasedText)/\(field.rawValue)".utf8)
    }
  }

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

  /// The deployment's cipher: `ENCRYPTION_KEY`, and `ENCRYPTION_KEY_PREVIOUS` to open old rows.
  static func configured(_ config: AppConfig) -> CredentialCipher {
    CredentialCipher(
      current: .init(config.encryptionKey),
      previous: config.previousEncryptionKeys.map { .init($0) })
  }

  func seal(_ plaintext: Data, for binding: Binding) throws -> String {
    let box = try AES.GCM.seal(
      plaintext, using: current.key, authenticating: binding.associatedData)
    guard let combined = box.combined else { throw Failure.malformed }
    return "v2.\(current.id).\(combined.base64EncodedString())"
  }

  func open(_ envelope: String, for binding: Binding) throws -> Data {
    let parts = envelope.split(separator: ".", maxSplits: 2).map(String.init)
    guard parts.count == 3, ["v1", "v2"].contains(parts[0]),
      let combined = Data(base64Encoded: parts[2])
    else {
      throw Failure.malformed
    }
    guard let key = ([current] + previous).first(where: { $0.id == parts[1] }) else {
      throw Failure.unknownKey(parts[1])
    }
    do {
      let box = try AES.GCM.SealedBox(combined: combined)
      if parts[0] == "v1" { return try AES.GCM.open(box, using: key.key) }
      return try AES.GCM.open(box, using: key.key, authenticating: binding.associatedData)
    } catch {
      throw Failure.tampered
    }
  }

  /// Whether the envelope is unbound (`v1`) or sealed with an older key (for `keys rotate`).
  func needsRotation(_ envelope: String) -> Bool {
    !envelope.hasPrefix("v2.\(current.id).")
  }
}
