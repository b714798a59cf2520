import Vapor

/// Who is calling, as far as the audit trail is concerned.
struct ClientInfo: Sendable {
  let ip: String?
  let userAgent: String?
  let requestID: String?
}

extension Request {
  var clientInfo: ClientInfo {
    let peer = remoteAddress?.ipAddress
    let ip = application.appConfig.trustedProxies.clientAddress(
      peer: peer, forwardedFor: headers[.xForwardedFor])
    let requestID: String? =
      switch logger[metadataKey: LogKeys.requestID] {
      case .string(let value): value
      default: nil
      }
    return ClientInfo(
      ip: ip, userAgent: headers.first(name: .userAgent).map { String($0.prefix(512)) },
      requestID: requestID)
  }
}
