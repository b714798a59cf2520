import Foundation

/// A random JWT secret for development, kept beside the SQLite file so that tokens survive a
/// restart.
enum DevelopmentSecret {
  static let fileName = "jwt-secret"

  static func loadOrCreate(in directory: String) throws -> [UInt8] {
    let path = (directory as NSString).appendingPathComponent(fileName)
    if let existing = FileManager.default.contents(atPath: path), existing.count >= 32 {
      return Array(existing)
    }
    try FileManager.default.createDirectory(
      atPath: directory, withIntermediateDirectories: true)
    var generator = SystemRandomNumberGenerator()
    let hex = (0..<32).map { _ in
      String(format: "%02x", UInt8.random(in: 0...255, using: &generator))
    }
    let secret = Data(hex.joined().utf8)
    guard
      FileManager.default.createFile(
        atPath: path, contents: secret, attributes: [.posixPermissions: 0o600])
    else {
      throw CocoaError(.fileWriteUnknown)
    }
    return Array(secret)
  }

  static let keyFileName = "encryption-key"

  /// A random AES-256 key for development credentials, kept beside the database.
  static func loadOrCreateKey(in directory: String) throws -> [UInt8] {
    let path = (directory as NSString).appendingPathComponent(keyFileName)
    if let existing = FileManager.default.contents(atPath: path),
      let key = Data(base64Encoded: existing), key.count == 32
    {
      return Array(key)
    }
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    var generator = SystemRandomNumberGenerator()
    let key = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
    guard
      FileManager.default.createFile(
        atPath: path, contents: Data(key).base64EncodedData(),
        attributes: [.posixPermissions: 0o600])
    else {
      throw CocoaError(.fileWriteUnknown)
    }
    return key
  }
}
