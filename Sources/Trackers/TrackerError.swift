import Foundation

/// Errors of the tracker clients, split by what the caller should do about them.
public enum TrackerError: Error, Sendable, Equatable {
  /// The credentials were refused (401/403): fix them or re-authorise.
  case authenticationFailed(String)
  /// The OAuth refresh token was refused (`invalid_grant`): mark the tracker `needsReauth`.
  case invalidGrant(String?)
  /// The issue (or resource) does not exist or is not visible to these credentials (404).
  case notFound(String)
  /// The tracker is rate limiting or unavailable (429/5xx, timeouts); retry later.
  /// `retryAfter` is the server's last hint in seconds, if any.
  case unavailable(String, retryAfter: TimeInterval?)
  /// The tracker rejected the request (other 4xx, for example invalid JQL, or 410 Gone).
  case rejected(status: Int, message: String)
  /// The response could not be understood.
  case badResponse(String)
  /// The configuration cannot work (unknown type, wrong credential kind, bad URL).
  case invalidConfiguration(String)
  /// The outbound policy refused a URL (the base URL, or one the tracker answered with).
  case outboundRefused(OutboundRefusal)

  /// True when a later retry may succeed without anyone changing anything.
  public var isTransient: Bool {
    if case .unavailable = self { return true }
    return false
  }

  /// True when a person has to fix the credentials or re-authorise.
  public var needsReauthorization: Bool {
    switch self {
    case .authenticationFailed, .invalidGrant: return true
    default: return false
    }
  }
}

extension TrackerError: CustomStringConvertible {
  /// A one-line description, free of credentials.
  public var description: String {
    switch self {
    case .authenticationFailed(let detail): return "authentication failed: \(detail)"
    case .invalidGrant(let detail): return "refresh token refused: \(detail ?? "invalid_grant")"
    case .notFound(let detail): return "not found: \(detail)"
    case .unavailable(let detail, let retryAfter):
      let hint = retryAfter.map { " (retry after \(Int($0)) s)" } ?? ""
      return "tracker unavailable: \(detail)\(hint)"
    case .rejected(let status, let message): return "request rejected (\(status)): \(message)"
    case .badResponse(let detail): return "bad response: \(detail)"
    case .invalidConfiguration(let detail): return "invalid configuration: \(detail)"
    case .outboundRefused(let refusal): return refusal.description
    }
  }
}
