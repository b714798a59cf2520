import Trackers
import Vapor

extension Request {
  /// Whether the client reached us over HTTPS: always when the process serves TLS itself
  /// (the plain listener has its own responder), else when a trusted proxy says so in
  /// `X-Forwarded-Proto`. An untrusted peer's header is ignored.
  var arrivedOverHTTPS: Bool {
    let config = application.appConfig
    if config.tls != nil { return true }
    guard let peer = remoteAddress?.ipAddress, config.trustedProxies.trusts(peer) else {
      return false
    }
    // The last value is the one the nearest (trusted) proxy wrote; an earlier one may come
    // from the client.
    let values = headers["X-Forwarded-Proto"].flatMap { $0.split(separator: ",") }
    return values.last?.trimmingCharacters(in: .whitespaces).lowercased() == "https"
  }
}

/// Where a plain-HTTP request is sent: the same path and query on the HTTPS origin.
enum HTTPSRedirect {
  /// The `Location` for `request`: on `PUBLIC_BASE_URL` when it is an https URL, else on the
  /// request's `Host` (without its port) and `httpsPort`. Nil when the `Host` is not a
  /// plain host name or address, so that no header can steer the redirect elsewhere.
  static func location(for request: Request, httpsPort: Int?) -> String? {
    let pathAndQuery = request.url.path.isEmpty ? "/" : request.url.path
    let suffix = pathAndQuery + (request.url.query.map { "?" + $0 } ?? "")
    if let base = request.application.appConfig.publicBaseURL,
      let components = URLComponents(string: base), components.scheme == "https",
      let host = components.host
    {
      return "https://" + host + (components.port.map { ":\($0)" } ?? "") + suffix
    }
    guard let hostHeader = request.headers.first(name: .host), let host = hostName(hostHeader)
    else { return nil }
    let port = httpsPort.flatMap { $0 == 443 ? nil : ":\($0)" } ?? ""
    return "https://" + host + port + suffix
  }

  /// The host part of a `Host` header, or nil when it holds anything but a DNS name, an IPv4
  /// address or a bracketed IPv6 address.
  static func hostName(_ header: String) -> String? {
    if header.hasPrefix("[") {
      guard let close = header.firstIndex(of: "]") else { return nil }
      let inner = header[header.index(after: header.startIndex)..<close]
      guard IPAddressBytes.parse(String(inner)) != nil else { return nil }
      return String(header[...close])
    }
    let host = header.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)[0]
    let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
    guard !host.isEmpty, host.count <= 253, host.allSatisfy(allowed.contains) else { return nil }
    return String(host)
  }

  /// A 308 to `location`, or 400 when there is nowhere safe to send the client.
  static func response(location: String?) -> Response {
    guard let location else {
      return Response(
        status: .badRequest, headers: ["Content-Type": "text/plain; charset=utf-8"],
        body: "Use HTTPS.\n")
    }
    return Response(
      status: .permanentRedirect, headers: ["Location": location, "Content-Length": "0"])
  }
}
