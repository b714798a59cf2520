import Crypto
import Foundation
import NIOPosix
import Vapor

/// Bcrypt hashing on the thread pool, never on an event loop.
///
/// Bcrypt reads only the first 72 bytes of its input, so passwords are first reduced with
/// SHA-256 (base64, 44 bytes, no NUL bytes): a long password never matches on a prefix alone.
struct PasswordHasher: Sendable {
  let cost: Int
  let threadPool: NIOThreadPool
  /// Verified against when an e-mail is unknown, so that both failures take the same time.
  let decoyHash: String

  init(cost: Int, threadPool: NIOThreadPool) throws {
    self.cost = cost
    self.threadPool = threadPool
    self.decoyHash = try Bcrypt.hash(Self.prepare("decoy password for timing"), cost: cost)
  }

  func hash(_ password: String) async throws -> String {
    let cost = self.cost
    return try await threadPool.runIfActive {
      try Bcrypt.hash(Self.prepare(password), cost: cost)
    }
  }

  func verify(_ password: String, against hash: String) async throws -> Bool {
    try await threadPool.runIfActive {
      try Bcrypt.verify(Self.prepare(password), created: hash)
    }
  }

  /// Spends the time of one verification and fails, for unknown or disabled accounts.
  func verifyDecoy(_ password: String) async throws -> Bool {
    _ = try await verify(password, against: decoyHash)
    return false
  }

  static func prepare(_ password: String) -> String {
    Data(SHA256.hash(data: Data(password.utf8))).base64EncodedString()
  }
}

extension Application {
  private struct PasswordHasherKey: StorageKey {
    typealias Value = PasswordHasher
  }

  var passwordHasher: PasswordHasher {
    get { storage.required(PasswordHasherKey.self) }
    set { storage[PasswordHasherKey.self] = newValue }
  }
}
