/// Where clamd listens (`CLAMD_URL`): `tcp://host:port`, or a Unix socket path (`/run/clamav/clamd.ctl`
/// or `unix:///run/clamav/clamd.ctl`).
public enum ClamdAddress: Sendable, Equatable, CustomStringConvertible {
  case tcp(host: String, port: Int)
  case unix(path: String)

  static func parse(_ url: String) -> Result<ClamdAddress, ConfigErrorMessage> {
    if url.hasPrefix("tcp://") {
      let rest = url.dropFirst("tcp://".count).split(separator: "/", maxSplits: 1).first ?? ""
      guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]),
        (1...65535).contains(port)
      else { return .failure("tcp:// needs a host and a port: tcp://127.0.0.1:3310") }
      var host = String(rest[..<colon])
      if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
      guard !host.isEmpty else { return .failure("tcp:// needs a host") }
      return .success(.tcp(host: host, port: port))
    }
    if url.hasPrefix("unix://") {
      let path = String(url.dropFirst("unix://".count))
      guard path.hasPrefix("/") else { return .failure("unix:// needs an absolute socket path") }
      return .success(.unix(path: path))
    }
    if url.hasPrefix("/") { return .success(.unix(path: url)) }
    return .failure("must be tcp://host:port or a Unix socket path")
  }

  public var description: String {
    switch self {
    case .tcp(let host, let port): "tcp://\(host):\(port)"
    case .unix(let path): path
    }
  }
}
