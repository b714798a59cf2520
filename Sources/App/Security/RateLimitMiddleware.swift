import Vapor

/// Applies the per-IP token bucket to every request; the per-user bucket is taken in
/// `Request.authenticate()`, once the user is known.
struct RateLimitMiddleware: AsyncMiddleware {
  func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
    try request.application.rateLimiter?.check("ip:" + (request.clientInfo.ip ?? "unknown"))
    return try await next.respond(to: request)
  }
}

extension RateLimiter {
  /// Throws a 429 `rate-limited` problem with `Retry-After` when `key`'s bucket is empty.
  func check(_ key: String) throws {
    guard let seconds = take(key) else { return }
    throw AppError(
      .tooManyRequests, type: "rate-limited", title: "Too Many Requests",
      detail: "Too many requests; try again in \(seconds) seconds.",
      headers: ["Retry-After": String(seconds)])
  }
}

extension Application {
  private struct RateLimiterKey: StorageKey {
    typealias Value = RateLimiter
  }

  /// The request rate limiter; nil when `RATE_LIMIT_PER_MINUTE` is 0.
  var rateLimiter: RateLimiter? {
    get { storage[RateLimiterKey.self] }
    set { storage[RateLimiterKey.self] = newValue }
  }
}
