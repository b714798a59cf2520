import Foundation

/// Random development secrets (the JWT secret, the credential key), kept beside the SQLite file
/// so that tokens and sealed credentials survive a restart.
enum DevelopmentSecret {
  static let fileName = "jwt-secret"
  static let keyFileName = "encryption-key"

  /// The JWT secret: 32 random bytes written as 64 hex characters, used as they are.
  static func loadOrCreate(in directory: String) throws -> [UInt8] {
    try loadOrCreate(
      fileName, in: directory, read: { $0.count >= 32 ? Array($0) : nil },
      make: { Data($0.map { String(format: "%02x", $0) }.joined().utf8) })
  }

  /// The AES-256 key for credentials: 32 random bytes, stored base64-encoded.
  static func loadOrCreateKey(in directory: String) throws -> [UInt8] {
    try loadOrCreate(
      keyFileName, in: directory,
      read: { Data(base64Encoded: $0).flatMap { $0.count == 32 ? Array($0) : nil } },
      make: { Data($0).base64EncodedData() })
  }

  private static func loadOrCreate(
    _ name: String, in directory: String, read: (Data) -> [UInt8]?, make: ([UInt8]) -> Data
  ) throws -> [UInt8] {
    let path = (directory as NSString).appendingPathComponent(name)
    if let existing = FileManager.default.contents(atPath: path), let value = read(existing) {
      return value
    }
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    var generator = SystemRandomNumberGenerator()
    let contents = make((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    guard
      FileManager.default.createFile(
        atPath: path, contents: contents, attributes: [.posixPermissions: 0o600]),
      let value = read(contents)
    else {
      throw CocoaError(.fileWriteUnknown)
    }
    return value
  }
}
