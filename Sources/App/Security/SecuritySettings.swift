import Foundation

/// Transport and abuse-limit settings: `TLS_CERT_FILE`, `TLS_KEY_FILE`, `HTTP_PORT`,
/// `REQUIRE_HTTPS`, `CORS_ORIGINS`, `MCP_ALLOWED_ORIGINS` and `RATE_LIMIT_PER_MINUTE`.
struct SecuritySettings {
  var tls: TLSFiles?
  var httpRedirectPort: Int?
  var requireHTTPS: Bool
  var corsOrigins: [String]
  var mcpOrigins: [String]
  var rateLimitPerMinute: Int

  /// Reads the variables, appending a message naming the variable for each problem.
  static func load(environment: [String: String], problems: inout [String]) -> SecuritySettings {
    func value(_ name: String) -> String? {
      environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }
    var tls: TLSFiles?
    switch (value("TLS_CERT_FILE"), value("TLS_KEY_FILE")) {
    case (let cert?, let key?):
      for (name, path) in [("TLS_CERT_FILE", cert), ("TLS_KEY_FILE", key)]
      where !FileManager.default.isReadableFile(atPath: path) {
        problems.append("\(name): cannot read \(path)")
      }
      tls = TLSFiles(certificateChain: cert, privateKey: key)
    case (nil, nil):
      break
    case (_?, nil):
      problems.append("TLS_KEY_FILE: required with TLS_CERT_FILE")
    case (nil, _?):
      problems.append("TLS_CERT_FILE: required with TLS_KEY_FILE")
    }
    var redirectPort: Int?
    if let raw = value("HTTP_PORT") {
      if let port = Int(raw), (1...65535).contains(port) {
        redirectPort = port
      } else {
        problems.append("HTTP_PORT: must be a port number, got \"\(raw)\"")
      }
      if value("TLS_CERT_FILE") == nil {
        problems.append(
          "HTTP_PORT: only redirects to HTTPS, so it needs TLS_CERT_FILE and TLS_KEY_FILE")
      }
    }
    var requireHTTPS = false
    if let raw = value("REQUIRE_HTTPS") {
      switch raw.lowercased() {
      case "true", "1", "yes": requireHTTPS = true
      case "false", "0", "no": requireHTTPS = false
      default: problems.append("REQUIRE_HTTPS: must be true or false, got \"\(raw)\"")
      }
    }
    func origins(_ name: String) -> [String] {
      var origins: [String] = []
      for item in (value(name) ?? "").split(separator: ",") {
        let origin = item.trimmingCharacters(in: .whitespaces)
        guard let normalized = CORSPolicy.normalize(origin: origin) else {
          problems.append(
            "\(name): \"\(origin)\" is not an origin (scheme://host[:port], no path)")
          continue
        }
        origins.append(normalized)
      }
      return origins
    }
    var rate = RateLimiter.defaultPerMinute
    if let raw = value("RATE_LIMIT_PER_MINUTE") {
      if let number = Int(raw), number >= 0 {
        rate = number
      } else {
        problems.append("RATE_LIMIT_PER_MINUTE: must be a whole number, 0 to disable")
      }
    }
    return SecuritySettings(
      tls: tls, httpRedirectPort: redirectPort, requireHTTPS: requireHTTPS,
      corsOrigins: origins("CORS_ORIGINS"), mcpOrigins: origins("MCP_ALLOWED_ORIGINS"),
      rateLimitPerMinute: rate)
  }

  func apply(to config: inout AppConfig) {
    config.tls = tls
    config.httpRedirectPort = httpRedirectPort
    config.requireHTTPS = requireHTTPS
    config.corsOrigins = corsOrigins
    config.mcpExtraOrigins = mcpOrigins
    config.rateLimitPerMinute = rateLimitPerMinute
  }
}

/// The PEM files of the certificate chain and private key the process serves HTTPS with.
public struct TLSFiles: Sendable, Equatable {
  public var certificateChain: String
  public var privateKey: String

  public init(certificateChain: String, privateKey: String) {
    self.certificateChain = certificateChain
    self.privateKey = privateKey
  }
}
