import Crypto
import Foundation
import NIOPosix
import Vapor

#if canImport(Glibc)
  import Glibc
#endif

/// Bcrypt hashing on its own low-priority thread pool, never on an event loop.
///
/// Bcrypt reads only the first 72 bytes of its input, so passwords are first reduced with
/// SHA-256 (base64, 44 bytes, no NUL bytes): a long password never matches on a prefix alone.
///
/// Why a pool of its own: the application's shared pool (one thread per core) also runs every
/// SQLite query and file read or write; a burst of logins (about 250 ms of CPU each at cost 12)
/// queued there stalled all of them (scripts/bench.sh, login flood, 2026-11-26). The pool's
/// threads run at nice 10, so that a login flood takes the CPU the event loops leave idle
/// rather than competing with them as equals.
struct PasswordHasher: Sendable {
  let cost: Int
  let threadPool: NIOThreadPool
  /// Verified against when an e-mail is unknown, so that both failures take the same time.
  let decoyHash: String

  /// One per process, like NIO's own singletons: started on first use, never shut down.
  static let sharedThreadPool: NIOThreadPool = {
    let pool = NIOThreadPool(numberOfThreads: System.coreCount)
    pool.start()
    return pool
  }()

  init(cost: Int, threadPool: NIOThreadPool = PasswordHasher.sharedThreadPool) throws {
    self.cost = cost
    self.threadPool = threadPool
    self.decoyHash = try Bcrypt.hash(Self.prepare("decoy password for timing"), cost: cost)
  }

  func hash(_ password: String) async throws -> String {
    let cost = self.cost
    return try await threadPool.runIfActive {
      Self.lowerThreadPriority()
      return try Bcrypt.hash(Self.prepare(password), cost: cost)
    }
  }

  func verify(_ password: String, against hash: String) async throws -> Bool {
    try await threadPool.runIfActive {
      Self.lowerThreadPriority()
      return try Bcrypt.verify(Self.prepare(password), created: hash)
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

  /// Nice 10 for the calling thread (on Linux `setpriority(PRIO_PROCESS, 0, …)` changes only
  /// the calling thread); a no-op elsewhere and once a thread is already there.
  static func lowerThreadPriority() {
    #if os(Linux)
      if getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) < 10 {
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
      }
    #endif
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
