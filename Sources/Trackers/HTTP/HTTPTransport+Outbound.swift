import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Requests to tenant-chosen URLs: checked by the outbound policy, sent to the checked address,
/// never redirected.
extension HTTPTransport {
  /// The policy's verdict on `url`: nil when no policy applies (operator endpoints).
  func admitted(_ url: String) async throws -> OutboundTarget? {
    guard let outbound else { return nil }
    do {
      let target = try await outbound.admit(url)
      return target.pinnedAddress == nil && outbound.isTrusted(url) ? nil : target
    } catch {
      logger.warning(
        "tracker request refused by the outbound policy",
        metadata: ["url": "\(Self.redacted(url))", "rule": "\(error.rule.rawValue)"])
      throw TrackerError.outboundRefused(error)
    }
  }

  /// Sends `request` through the shared client, or for a policy-checked target through a
  /// client of its own that connects to the checked address and follows no redirect.
  func execute(_ request: HTTPClientRequest, to target: OutboundTarget?) async throws
    -> HTTPResult
  {
    guard let target else { return try await collect(client.execute(request, timeout: timeAmount)) }
    var configuration = HTTPClient.Configuration(
      redirectConfiguration: .disallow,
      timeout: .init(connect: .seconds(10), read: timeAmount))
    if let address = target.pinnedAddress {
      configuration.dnsOverride = [target.url.rawHost: address]
    }
    let checked = HTTPClient(eventLoopGroup: client.eventLoopGroup, configuration: configuration)
    do {
      let result = try await collect(checked.execute(request, timeout: timeAmount))
      try await checked.shutdown()
      return result
    } catch {
      try? await checked.shutdown()
      throw error
    }
  }

  private func collect(_ response: HTTPClientResponse) async throws -> HTTPResult {
    let buffer = try await response.body.collect(upTo: maxBodyBytes)
    return HTTPResult(
      status: Int(response.status.code), headers: response.headers,
      body: Data(buffer.readableBytesView))
  }

  /// A redirect from a tenant-chosen host is not followed: its target was never checked.
  static func redirectRefused(_ result: HTTPResult, method: HTTPMethod, url: String)
    -> TrackerError
  {
    let location = result.headers.first(name: "Location").flatMap { OutboundPolicy.origin(of: $0) }
    return .rejected(
      status: result.status,
      message: "\(method) \(redacted(url)) redirected"
        + (location.map { " to \($0)" } ?? "")
        + "; redirects are not followed: set baseUrl to the final address")
  }
}

extension OutboundPolicy {
  func isTrusted(_ url: String) -> Bool {
    Self.origin(of: url).map(trustedOrigins.contains) ?? false
  }
}
