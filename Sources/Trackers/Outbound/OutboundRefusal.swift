/// Why the outbound policy refused a URL; `rule` is stable, `message` says what to change.
public struct OutboundRefusal: Error, Sendable, Hashable, CustomStringConvertible {
  /// The rules a URL can break.
  public enum Rule: String, Sendable, Hashable {
    /// Not an absolute `http(s)://host` URL.
    case invalidURL = "invalid-url"
    /// `http://` without `OUTBOUND_ALLOW_HTTP=true`.
    case httpsRequired = "https-required"
    /// A `#fragment`, which would swallow the API paths appended to a base URL.
    case fragment
    /// `user:password@` in the URL.
    case userinfo
    /// `OUTBOUND_ONLY_ALLOWED=true` and the host is not in `OUTBOUND_ALLOWED_HOSTS`.
    case notListed = "not-listed"
    /// The host name does not resolve.
    case unresolvable
    /// The host is or resolves to a refused class of address (loopback, private…).
    case address
  }

  /// The rule that was broken.
  public let rule: Rule
  /// A sentence naming the rule and the setting that would admit the URL.
  public let message: String

  /// A refusal.
  public init(_ rule: Rule, _ message: String) {
    self.rule = rule
    self.message = message
  }

  /// `refused by the outbound policy (rule): message`.
  public var description: String { "refused by the outbound policy (\(rule.rawValue)): \(message)" }
}
