import Foundation

/// Where the server may send requests whose URL a tenant chose (a tracker's base URL) or a
/// tenant's tracker answered with (next-page and `self` links, redirects).
///
/// A company admin is not trusted with the deployment's network: without this, a tracker's
/// base URL could point the server at its own loopback services, the cloud metadata endpoint or
/// the internal network. Hosts the operator configured (Atlassian's, clamd, the database) are
/// trusted and never pass through it.
public struct OutboundPolicy: Sendable {
  /// Host names admitted whatever they resolve to (`OUTBOUND_ALLOWED_HOSTS`), lowercased.
  public var allowedHostNames: Set<String>
  /// Addresses and ranges admitted (`OUTBOUND_ALLOWED_HOSTS`).
  public var allowedNetworks: [IPNetwork]
  /// Private ranges (RFC 1918, fc00::/7) admitted (`OUTBOUND_ALLOW_PRIVATE`).
  public var allowPrivate: Bool
  /// `http://` admitted (`OUTBOUND_ALLOW_HTTP`; tests and labs).
  public var allowHTTP: Bool
  /// Only listed hosts are contacted, public ones included; an unlisted host name is refused
  /// before any DNS lookup (`OUTBOUND_ONLY_ALLOWED`; locked-down networks and every test).
  public var onlyAllowed: Bool
  /// Origins (`scheme://host:port`) the operator configured, which the policy does not check.
  public var trustedOrigins: Set<String>
  /// How host names become addresses.
  public var resolver: HostResolver

  /// A policy; the defaults are the strict production policy.
  public init(
    allowedHostNames: Set<String> = [], allowedNetworks: [IPNetwork] = [],
    allowPrivate: Bool = false, allowHTTP: Bool = false, onlyAllowed: Bool = false,
    trustedOrigins: Set<String> = [], resolver: HostResolver = .system
  ) {
    self.allowedHostNames = Set(allowedHostNames.map { $0.lowercased() })
    self.allowedNetworks = allowedNetworks
    self.allowPrivate = allowPrivate
    self.allowHTTP = allowHTTP
    self.onlyAllowed = onlyAllowed
    self.trustedOrigins = trustedOrigins
    self.resolver = resolver
  }

  /// Splits `OUTBOUND_ALLOWED_HOSTS` (comma-separated host names, addresses and CIDR ranges).
  public static func parseAllowedHosts(_ list: String) -> (
    names: Set<String>, networks: [IPNetwork]
  ) {
    var names = Set<String>()
    var networks: [IPNetwork] = []
    for item in list.split(separator: ",") {
      let entry = item.trimmingCharacters(in: .whitespaces)
      guard !entry.isEmpty else { continue }
      if let network = IPNetwork(parsing: entry) {
        networks.append(network)
      } else {
        names.insert(entry.lowercased())
      }
    }
    return (names, networks)
  }

  /// The policy tests run with: loopback only, plain HTTP allowed.
  public static func loopbackOnly(resolver: HostResolver = .system) -> OutboundPolicy {
    OutboundPolicy(
      allowedNetworks: [IPNetwork(parsing: "127.0.0.0/8")!, IPNetwork(parsing: "::1")!],
      allowHTTP: true, onlyAllowed: true, resolver: resolver)
  }

  /// The same policy also trusting the given origins (the operator's own endpoints).
  public func trusting(_ urls: [String]) -> OutboundPolicy {
    var copy = self
    for url in urls {
      if let origin = Self.origin(of: url) { copy.trustedOrigins.insert(origin) }
    }
    return copy
  }

  /// `scheme://host:port`, lowercased, with the scheme's default port made explicit.
  public static func origin(of url: String) -> String? {
    guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
      let host = components.host?.lowercased(), !host.isEmpty
    else { return nil }
    let port = components.port ?? (scheme == "https" ? 443 : scheme == "http" ? 80 : -1)
    return "\(scheme)://\(host):\(port)"
  }

  /// Checks the parts of `url` that need no DNS: scheme, fragment, user info, a literal
  /// address's class and, in exclusive mode, whether the host is listed. What the server checks
  /// when it starts, for each stored tracker.
  public func checkSyntax(_ url: String) throws(OutboundRefusal) -> OutboundURL {
    let parsed = try OutboundURL(url)
    if let origin = Self.origin(of: url), trustedOrigins.contains(origin) {
      return parsed
    }
    if parsed.scheme == "http" && !allowHTTP {
      throw OutboundRefusal(
        .httpsRequired,
        "\(parsed.host) is reached over plain http; use https:// (or set "
          + "OUTBOUND_ALLOW_HTTP=true in a lab)")
    }
    if let literal = IPAddressBytes.parse(parsed.host) {
      try check(address: literal, host: parsed.host, listedName: false)
    } else if onlyAllowed && !allowedHostNames.contains(parsed.host) {
      throw notListed(parsed.host)
    }
    return parsed
  }

  /// Admits `url` or says which rule it breaks. A host name is resolved and every address it
  /// has is checked; the request must then go to the returned address (`pinnedAddress`), so that
  /// a second DNS answer cannot swap in another one.
  public func admit(_ url: String) async throws(OutboundRefusal) -> OutboundTarget {
    let parsed = try checkSyntax(url)
    if let origin = Self.origin(of: url), trustedOrigins.contains(origin) {
      return OutboundTarget(url: parsed, pinnedAddress: nil)
    }
    if IPAddressBytes.parse(parsed.host) != nil {
      return OutboundTarget(url: parsed, pinnedAddress: nil)
    }
    let addresses = await resolver.resolve(parsed.host)
    guard let first = addresses.first else {
      throw OutboundRefusal(.unresolvable, "\(parsed.host) does not resolve to an address")
    }
    let listed = allowedHostNames.contains(parsed.host)
    for address in addresses {
      try check(address: address, host: parsed.host, listedName: listed)
    }
    return OutboundTarget(url: parsed, pinnedAddress: IPAddressBytes.format(first))
  }

  private func check(address: [UInt8], host: String, listedName: Bool) throws(OutboundRefusal) {
    if listedName || allowedNetworks.contains(where: { $0.contains(address) }) { return }
    if onlyAllowed { throw notListed(host) }
    let kind = AddressClass.of(address)
    let text = IPAddressBytes.format(address)
    let shown = text == host ? host : "\(host) (\(text))"
    switch kind {
    case .global:
      return
    case .private where allowPrivate:
      return
    case .private:
      throw OutboundRefusal(
        .address,
        "\(shown) is a private address; list it in OUTBOUND_ALLOWED_HOSTS or set "
          + "OUTBOUND_ALLOW_PRIVATE=true to reach an on-premises tracker")
    default:
      throw OutboundRefusal(
        .address,
        "\(shown) is a \(kind.rawValue) address, which trackers may not use unless "
          + "OUTBOUND_ALLOWED_HOSTS lists it")
    }
  }

  private func notListed(_ host: String) -> OutboundRefusal {
    OutboundRefusal(
      .notListed,
      "\(host) is not in OUTBOUND_ALLOWED_HOSTS, and OUTBOUND_ONLY_ALLOWED=true admits no other host"
    )
  }
}

/// An admitted URL and, for a host name, the address it was checked at.
public struct OutboundTarget: Sendable, Hashable {
  /// The URL's parts.
  public let url: OutboundURL
  /// The checked address to connect to; nil when the URL holds an address already or is
  /// trusted.
  public let pinnedAddress: String?
}

/// The parts of an absolute `http(s)` URL the policy looks at.
public struct OutboundURL: Sendable, Hashable {
  /// `http` or `https`.
  public let scheme: String
  /// The host, lowercased, without IPv6 brackets.
  public let host: String
  /// The host exactly as the URL spells it (what the HTTP client keys connections by).
  public let rawHost: String

  init(_ url: String) throws(OutboundRefusal) {
    guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
      scheme == "http" || scheme == "https", let rawHost = components.host, !rawHost.isEmpty
    else {
      throw OutboundRefusal(.invalidURL, "must be an absolute http(s)://host URL")
    }
    if components.fragment != nil || url.contains("#") {
      throw OutboundRefusal(.fragment, "must not contain a #fragment")
    }
    if components.user != nil || components.password != nil {
      throw OutboundRefusal(.userinfo, "must not contain user:password@; send credentials in auth")
    }
    self.scheme = scheme
    self.rawHost = rawHost
    var host = rawHost.lowercased()
    if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
    self.host = host
  }
}
