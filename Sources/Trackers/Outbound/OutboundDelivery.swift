import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// One POST to a URL a tenant chose (a webhook delivery): admitted by the outbound policy,
/// sent to the checked address, no redirect followed and no retry here (the job queue retries).
public struct OutboundDelivery: Sendable {
  /// What the receiver answered, or why nothing was delivered.
  public struct Outcome: Sendable, Equatable {
    /// The response's status; nil when no response came (refused, unreachable, timed out).
    public let status: Int?
    /// Why the delivery failed; nil for a 2xx.
    public let failure: String?

    public var delivered: Bool { failure == nil }
  }

  private let transport: HTTPTransport

  /// `timeout` bounds the whole exchange, so a receiver that never answers costs at most that.
  public init(client: HTTPClient, policy: OutboundPolicy, timeout: Duration, logger: Logger) {
    transport = HTTPTransport(
      client: client, logger: logger, timeout: timeout, retryPolicy: RetryPolicy(maxAttempts: 1),
      authorization: .none, outbound: policy, maxBodyBytes: 64 * 1024)
  }

  public func post(_ url: String, body: Data, headers: [(String, String)]) async -> Outcome {
    do {
      let target = try await transport.admitted(url)
      var request = HTTPClientRequest(url: url)
      request.method = .POST
      request.headers.add(name: "User-Agent", value: "promptsmith-webhooks")
      request.headers.add(name: "Content-Type", value: "application/json")
      for (name, value) in headers { request.headers.add(name: name, value: value) }
      request.body = .bytes(ByteBuffer(bytes: body))
      let result = try await transport.execute(request, to: target)
      guard (200..<300).contains(result.status) else {
        let redirect = (300..<400).contains(result.status) ? " (redirects are not followed)" : ""
        return Outcome(status: result.status, failure: "answered \(result.status)\(redirect)")
      }
      return Outcome(status: result.status, failure: nil)
    } catch let error as TrackerError {
      return Outcome(status: nil, failure: error.description)
    } catch let error as HTTPClientError {
      return Outcome(status: nil, failure: "\(error)")
    } catch {
      return Outcome(status: nil, failure: String(describing: type(of: error)))
    }
  }

  /// `t=UNIX_SECONDS,v1=HEX`: HMAC-SHA256 with the secret over `t + "." + body`, as Stripe signs.
  public static func signature(body: Data, secret: String, at time: Date) -> String {
    let seconds = Int(time.timeIntervalSince1970)
    var message = Data("\(seconds).".utf8)
    message.append(body)
    let mac = HMAC<SHA256>.authenticationCode(
      for: message, using: SymmetricKey(data: Data(secret.utf8)))
    return "t=\(seconds),v1=" + mac.map { String(format: "%02x", $0) }.joined()
  }
}
