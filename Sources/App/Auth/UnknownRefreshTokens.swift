import Foundation
import NIOConcurrencyHelpers
import Vapor

/// Unknown refresh tokens per client network: anyone can post garbage to `POST /auth/refresh`
/// without credentials, and each used to write an audit row. Now the first one per network in
/// a 15-minute window is audited (with how many the previous window saw), the rest are only
/// counted, and past the limit the network gets 429 until the window ends. In memory per
/// process, like `RATE_LIMIT_PER_MINUTE`.
final class UnknownRefreshTokens: Sendable {
  static let window: TimeInterval = 15 * 60

  /// What to do with one more unknown token.
  struct Verdict: Equatable {
    /// Write an audit row (the first of the window).
    var audit: Bool
    /// Unknown tokens the same network sent in its previous window, when that was over one.
    var previousWindowCount: Int?
    /// Seconds until the window ends, when the network is over the limit.
    var retryAfter: Int?
  }

  private struct Entry {
    var windowStart: Date
    var count: Int
    var previousCount: Int
  }

  private let entries = NIOLockedValueBox<[String: Entry]>([:])
  /// Unknown tokens per network and window before 429; 0 disables the limit.
  let limit: Int

  init(limit: Int) {
    self.limit = limit
  }

  func note(network: String, now: Date = Date()) -> Verdict {
    entries.withLockedValue { entries in
      if entries.count > 10_000 {
        entries = entries.filter { now.timeIntervalSince($0.value.windowStart) < Self.window }
      }
      var entry = entries[network] ?? Entry(windowStart: now, count: 0, previousCount: 0)
      if now.timeIntervalSince(entry.windowStart) >= Self.window {
        let consecutive = now.timeIntervalSince(entry.windowStart) < 2 * Self.window
        entry = Entry(windowStart: now, count: 0, previousCount: consecutive ? entry.count : 0)
      }
      entry.count += 1
      entries[network] = entry
      if limit > 0, entry.count > limit {
        let remaining = entry.windowStart.addingTimeInterval(Self.window).timeIntervalSince(now)
        return Verdict(audit: false, retryAfter: max(1, Int(remaining.rounded(.up))))
      }
      return Verdict(
        audit: entry.count == 1,
        previousWindowCount: entry.previousCount > 1 ? entry.previousCount : nil)
    }
  }
}

extension Application {
  private struct UnknownRefreshTokensKey: StorageKey {
    typealias Value = UnknownRefreshTokens
  }

  /// This process's count of unknown refresh tokens.
  var unknownRefreshTokens: UnknownRefreshTokens? {
    get { storage[UnknownRefreshTokensKey.self] }
    set { storage[UnknownRefreshTokensKey.self] = newValue }
  }
}
