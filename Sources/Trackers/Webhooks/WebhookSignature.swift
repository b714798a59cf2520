import Crypto
import Foundation

/// Verifies Jira's and GitHub's `sha256=<hex>` signatures and Linear's bare `<hex>` one
/// (HMAC-SHA256 of the raw body with the webhook secret), and the secret tokens sent as they
/// are (Jira's URL token, GitLab's `X-Gitlab-Token`).
public enum WebhookSignature {
  /// The header value Jira would send for `body` under `secret`.
  public static func sign(body: Data, secret: String) -> String {
    "sha256=" + signHex(body: body, secret: secret)
  }

  /// The bare lowercase hex HMAC Linear sends in `Linear-Signature`.
  public static func signHex(body: Data, secret: String) -> String {
    let mac = HMAC<SHA256>.authenticationCode(
      for: body, using: SymmetricKey(data: Data(secret.utf8)))
    return mac.map { String(format: "%02x", $0) }.joined()
  }

  /// True when `header` is the bare hex HMAC of the raw `body` (constant time).
  public static func verifyHex(body: Data, header: String?, secret: String) -> Bool {
    guard let header = header?.trimmingCharacters(in: .whitespaces), !secret.isEmpty,
      let received = hexBytes(Substring(header))
    else { return false }
    return HMAC<SHA256>.isValidAuthenticationCode(
      received, authenticating: body, using: SymmetricKey(data: Data(secret.utf8)))
  }

  /// True when `header` is a valid `sha256=` signature of the raw `body` (constant time).
  ///
  /// Compute it over the bytes as received, before any JSON parsing.
  public static func verify(body: Data, header: String?, secret: String) -> Bool {
    guard let header = header?.trimmingCharacters(in: .whitespaces), !secret.isEmpty else {
      return false
    }
    let parts = header.split(separator: "=", maxSplits: 1)
    guard parts.count == 2, parts[0].lowercased() == "sha256",
      let received = hexBytes(parts[1])
    else { return false }
    return HMAC<SHA256>.isValidAuthenticationCode(
      received, authenticating: body, using: SymmetricKey(data: Data(secret.utf8)))
  }

  /// Compares a URL token with the expected one in constant time.
  public static func tokensMatch(_ received: String, _ expected: String) -> Bool {
    let left = Array(received.utf8)
    let right = Array(expected.utf8)
    guard !right.isEmpty else { return false }
    var difference = UInt8(left.count == right.count ? 0 : 1)
    for index in 0..<right.count {
      difference |= right[index] ^ (index < left.count ? left[index] : 0)
    }
    return difference == 0
  }

  private static func hexBytes(_ hex: Substring) -> Data? {
    guard hex.count % 2 == 0, !hex.isEmpty else { return nil }
    var bytes = Data(capacity: hex.count / 2)
    var index = hex.startIndex
    while index < hex.endIndex {
      let next = hex.index(index, offsetBy: 2)
      guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
      bytes.append(byte)
      index = next
    }
    return bytes
  }
}
