import Foundation
import Synchronization

/// Access tokens whose signature and claims were verified, by their exact text, until they
/// expire.
///
/// A client sends the same access token with every request of its 15 minutes. Verifying it
/// each time (the header and claims decoded from JSON, the HMAC computed) was 6.5 % of
/// `POST /prompts/generate`'s event-loop samples (perf, 2026-12-07). A token found here is the
/// very string that was verified, so its signature holds; only the time-bound claims are
/// checked again. Revocation is not this cache's business: every request still reads its
/// session (`SessionLookup`).
final class VerifiedAccessTokens: Sendable {
  /// At most this many tokens; when full, the expired ones go, and all of them if none has.
  let capacity: Int
  private let claims = Mutex<[String: JWTAccessTokenClaims]>([:])

  init(capacity: Int = 4096) {
    self.capacity = capacity
  }

  /// The claims of `token` if it was verified and is still within its time bounds at `now`.
  func claims(of token: String, at now: Date) -> JWTAccessTokenClaims? {
    guard let found = claims.withLock({ $0[token] }) else { return nil }
    guard (try? found.verifyTimeBounds(at: now)) != nil else {
      claims.withLock { _ = $0.removeValue(forKey: token) }
      return nil
    }
    return found
  }

  /// Remembers the claims of a token that was just verified.
  func remember(_ token: String, _ verified: JWTAccessTokenClaims, at now: Date) {
    claims.withLock { cached in
      if cached.count >= capacity {
        cached = cached.filter { (try? $0.value.verifyTimeBounds(at: now)) != nil }
        if cached.count >= capacity { cached.removeAll(keepingCapacity: true) }
      }
      cached[token] = verified
    }
  }

  var count: Int { claims.withLock { $0.count } }
}
