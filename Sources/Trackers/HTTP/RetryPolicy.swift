import Foundation

/// When and how long to wait before retrying a request that got 429/503 or a transient error.
///
/// With `Retry-After`, the wait is exactly that long plus 0–30 % jitter (never less, as Atlassian
/// asks); without it, capped exponential backoff with ±30 % jitter.
public struct RetryPolicy: Sendable {
  /// Total attempts per request, the first included.
  public var maxAttempts: Int
  /// The first backoff delay without `Retry-After`.
  public var baseDelay: TimeInterval
  /// The cap for exponential backoff.
  public var maxDelay: TimeInterval
  /// A `Retry-After` longer than this is not waited for: the request fails as unavailable and
  /// the scheduler tries again later.
  public var maxRetryAfter: TimeInterval
  /// Returns a random number in `0..<1` (injectable for deterministic tests).
  public var random: @Sendable () -> Double
  /// Waits (injectable so tests do not sleep).
  public var sleep: @Sendable (TimeInterval) async throws -> Void

  /// Creates a policy; the defaults follow FACTS §5.
  public init(
    maxAttempts: Int = 5,
    baseDelay: TimeInterval = 2,
    maxDelay: TimeInterval = 60,
    maxRetryAfter: TimeInterval = 300,
    random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
    sleep: @escaping @Sendable (TimeInterval) async throws -> Void = { seconds in
      try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
    }
  ) {
    self.maxAttempts = maxAttempts
    self.baseDelay = baseDelay
    self.maxDelay = maxDelay
    self.maxRetryAfter = maxRetryAfter
    self.random = random
    self.sleep = sleep
  }

  /// The delay before retry number `attempt` (1 for the first retry), or `nil` to give up.
  public func delay(attempt: Int, retryAfter: TimeInterval?) -> TimeInterval? {
    guard attempt < maxAttempts else { return nil }
    if let retryAfter {
      guard retryAfter <= maxRetryAfter else { return nil }
      return retryAfter * (1 + 0.3 * random())
    }
    let exponential = min(maxDelay, baseDelay * pow(2, Double(attempt - 1)))
    return min(maxDelay, exponential * (0.7 + 0.6 * random()))
  }

  /// Parses a `Retry-After` value: delta seconds or an HTTP date.
  public static func parseRetryAfter(_ value: String?, now: Date = Date()) -> TimeInterval? {
    guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
      return nil
    }
    if let seconds = Double(value) { return max(0, seconds) }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
    guard let date = formatter.date(from: value) else { return nil }
    return max(0, date.timeIntervalSince(now))
  }
}
