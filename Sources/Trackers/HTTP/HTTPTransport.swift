import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// A response body with its status and headers.
struct HTTPResult: Sendable {
  var status: Int
  var headers: HTTPHeaders
  var body: Data
}

/// Sends requests with authorisation, timeouts, retries on 429/503 and credential-free logs,
/// and maps failures to ``TrackerError``.
struct HTTPTransport: Sendable {
  var client: HTTPClient
  var logger: Logger
  var timeout: Duration
  var retryPolicy: RetryPolicy
  var authorization: HTTPAuthorization
  /// The policy for tenant-chosen URLs; nil for the operator's own endpoints (Atlassian's
  /// OAuth and API hosts), which go through `client` as they are.
  var outbound: OutboundPolicy?
  /// Largest body accepted.
  var maxBodyBytes = 32 * 1024 * 1024
  /// A GraphQL API (Linear) reports an exhausted quota in the body's `errors`, with 200 or 400.
  var reportsRateLimitsInBody = false

  /// Sends a request and returns a 2xx response, or throws a ``TrackerError``.
  func send(
    _ method: HTTPMethod, _ url: String, json body: Data? = nil,
    headers extraHeaders: [(String, String)] = []
  ) async throws -> HTTPResult {
    var attempt = 1
    var refreshedAfter401 = false
    var token: String?
    if case .oauth(let provider) = authorization {
      token = try await provider.accessToken()
    }
    let target = try await admitted(url)
    while true {
      try Task.checkCancellation()
      var request = HTTPClientRequest(url: url)
      request.method = method
      if !extraHeaders.contains(where: { $0.0.lowercased() == "accept" }) {
        request.headers.add(name: "Accept", value: "application/json")
      }
      request.headers.add(name: "User-Agent", value: "promptsmith-trackers")
      switch authorization {
      case .none: break
      case .header(let name, let value): request.headers.add(name: name, value: value)
      case .oauth: request.headers.add(name: "Authorization", value: "Bearer \(token ?? "")")
      }
      for (name, value) in extraHeaders { request.headers.add(name: name, value: value) }
      if let body {
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: body))
      }
      let started = ContinuousClock.now
      let result: HTTPResult
      do {
        result = try await execute(request, to: target)
      } catch let error as CancellationError {
        throw error
      } catch {
        let detail = "\(method) \(Self.redacted(url)): \(Self.describe(error))"
        logger.warning(
          "tracker request failed",
          metadata: [
            "method": "\(method)", "url": "\(Self.redacted(url))", "attempt": "\(attempt)",
          ])
        if let delay = retryPolicy.delay(attempt: attempt, retryAfter: nil) {
          attempt += 1
          try await retryPolicy.sleep(delay)
          continue
        }
        throw TrackerError.unavailable(detail, retryAfter: nil)
      }
      logger.debug(
        "tracker request",
        metadata: [
          "method": "\(method)", "url": "\(Self.redacted(url))", "status": "\(result.status)",
          "attempt": "\(attempt)", "duration": "\(ContinuousClock.now - started)",
        ])
      let limited =
        [429, 502, 503, 504].contains(result.status)
        || result.status == 403 && Self.isRateLimited(result)
        || [200, 400].contains(result.status) && reportsRateLimitsInBody
          && Self.isGraphQLRateLimited(result.body)
      switch result.status {
      case _ where limited:
        let retryAfter =
          RetryPolicy.parseRetryAfter(result.headers.first(name: "Retry-After"))
          ?? Self.quotaResetWait(result.headers)
        if let delay = retryPolicy.delay(attempt: attempt, retryAfter: retryAfter) {
          logger.warning(
            "tracker rate limited or unavailable, retrying",
            metadata: [
              "url": "\(Self.redacted(url))", "status": "\(result.status)",
              "attempt": "\(attempt)", "delay": "\(delay)",
            ])
          attempt += 1
          try await retryPolicy.sleep(delay)
          continue
        }
        throw TrackerError.unavailable(
          "\(result.status) from \(Self.redacted(url))", retryAfter: retryAfter)
      case 200..<300:
        return result
      case 300..<400 where target != nil:
        throw Self.redirectRefused(result, method: method, url: url)
      case 401 where !refreshedAfter401:
        guard case .oauth(let provider) = authorization else { break }
        refreshedAfter401 = true
        logger.debug(
          "access token refused, refreshing once", metadata: ["url": "\(Self.redacted(url))"])
        token = try await provider.refreshAfterUnauthorized()
        continue
      default:
        break
      }
      throw Self.error(for: result, method: method, url: url)
    }
  }

  /// GitHub answers an exhausted quota with 403 as well as 429: with `Retry-After` (its
  /// secondary limits) or with `x-ratelimit-remaining: 0` (its primary limit).
  static func isRateLimited(_ result: HTTPResult) -> Bool {
    result.headers.first(name: "Retry-After") != nil
      || ["x-ratelimit-remaining", "ratelimit-remaining"].contains {
        result.headers.first(name: $0)?.trimmingCharacters(in: .whitespaces) == "0"
      }
  }

  /// Linear's answer to an exhausted quota: an error whose `extensions.code` is `RATELIMITED`
  /// (or whose `extensions.type` is `ratelimited`). Bodies without the word are not parsed.
  static func isGraphQLRateLimited(_ body: Data) -> Bool {
    guard
      body.range(of: Data("RATELIMITED".utf8)) != nil
        || body.range(of: Data("ratelimited".utf8)) != nil,
      let errors = (try? JSONValue(parsing: body))?["errors"]?.array
    else { return false }
    return errors.contains {
      $0["extensions"]?["code"]?.string == "RATELIMITED"
        || $0["extensions"]?["type"]?.string == "ratelimited"
    }
  }

  /// The wait until an exhausted quota resets: GitHub's `x-ratelimit-reset` and GitLab's
  /// `RateLimit-Reset` are UTC epoch seconds, Linear's `X-RateLimit-Requests-Reset`
  /// milliseconds; nil when no quota is exhausted.
  static func quotaResetWait(_ headers: HTTPHeaders, now: Date = Date()) -> TimeInterval? {
    for (remaining, reset) in [
      ("x-ratelimit-remaining", "x-ratelimit-reset"), ("ratelimit-remaining", "ratelimit-reset"),
      ("x-ratelimit-requests-remaining", "x-ratelimit-requests-reset"),
      ("x-ratelimit-complexity-remaining", "x-ratelimit-complexity-reset"),
    ] {
      guard headers.first(name: remaining)?.trimmingCharacters(in: .whitespaces) == "0",
        let value = headers.first(name: reset).flatMap({ Double($0) })
      else { continue }
      let epoch = value > 100_000_000_000 ? value / 1000 : value
      return max(0, epoch - now.timeIntervalSince1970)
    }
    return nil
  }

  /// Sends a request and decodes the JSON body as ``JSONValue``.
  func json(
    _ method: HTTPMethod, _ url: String, json body: Data? = nil,
    headers: [(String, String)] = []
  ) async throws -> (JSONValue, Data) {
    let result = try await send(method, url, json: body, headers: headers)
    return (try Self.parsed(result.body, method: method, url: url), result.body)
  }

  /// A response body as ``JSONValue``, or a `badResponse` naming the request.
  static func parsed(_ body: Data, method: HTTPMethod, url: String) throws -> JSONValue {
    do {
      return try JSONValue(parsing: body)
    } catch {
      throw TrackerError.badResponse("\(method) \(redacted(url)): body is not JSON")
    }
  }

  var timeAmount: TimeAmount {
    let (seconds, attoseconds) = timeout.components
    return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
  }

  static func error(for result: HTTPResult, method: HTTPMethod, url: String) -> TrackerError {
    let location = "\(method) \(redacted(url))"
    let message = errorMessage(result.body)
    switch result.status {
    case 401, 403:
      return .authenticationFailed(
        "\(result.status) from \(location)\(message.map { ": \($0)" } ?? "")")
    case 404:
      return .notFound("\(location)\(message.map { ": \($0)" } ?? "")")
    case 500...:
      return .unavailable("\(result.status) from \(location)", retryAfter: nil)
    default:
      return .rejected(status: result.status, message: message ?? location)
    }
  }

  /// The first human message in a Jira/Teamwork/OAuth error body, if any.
  /// At most 300 characters: the host may be one a tenant chose, and its answer is shown to
  /// that tenant only through the fields the tracker APIs define.
  static func errorMessage(_ body: Data) -> String? {
    fullErrorMessage(body).map { $0.count > 300 ? $0.prefix(300) + "…" : $0 }
  }

  private static func fullErrorMessage(_ body: Data) -> String? {
    guard let json = try? JSONValue(parsing: body) else { return nil }
    if let first = json["errorMessages"]?.array?.first?.string { return first }
    if let errors = json["errors"]?.object, let (field, value) = errors.first,
      let text = value.string
    {
      return "\(field): \(text)"
    }
    if let errors = json["errors"]?.array, let first = errors.first {
      return first["detail"]?.string ?? first["title"]?.string
        ?? first["extensions"]?["userPresentableMessage"]?.string ?? first["message"]?.string
    }
    if let code = json["error"]?.string {
      return json["error_description"]?.string.map { "\(code): \($0)" } ?? code
    }
    return json["message"]?.string
  }

  /// The URL without user info and query values, safe to log.
  static func redacted(_ url: String) -> String {
    guard var components = URLComponents(string: url) else { return "<invalid url>" }
    components.user = nil
    components.password = nil
    if let items = components.queryItems, !items.isEmpty {
      components.queryItems = items.map {
        URLQueryItem(name: $0.name, value: Self.safeQueryNames.contains($0.name) ? $0.value : "…")
      }
    }
    return components.string ?? "<invalid url>"
  }

  private static let safeQueryNames: Set<String> = [
    "startAt", "maxResults", "page", "pageSize", "updatedAfter", "orderBy", "orderMode",
  ]

  private static func describe(_ error: any Error) -> String {
    if let error = error as? HTTPClientError {
      return "\(error)"
    }
    return String(describing: type(of: error))
  }
}
