import Foundation

/// Which peers may tell us the client's address with `X-Forwarded-For`.
public struct TrustedProxies: Sendable, Equatable {
  struct Network: Sendable, Equatable {
    let address: [UInt8]
    let prefixLength: Int

    func contains(_ candidate: [UInt8]) -> Bool {
      guard candidate.count == address.count else { return false }
      var remaining = prefixLength
      for (lhs, rhs) in zip(address, candidate) {
        guard remaining > 0 else { return true }
        let bits = min(8, remaining)
        let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
        if lhs & mask != rhs & mask { return false }
        remaining -= bits
      }
      return true
    }
  }

  let networks: [Network]

  public static let none = TrustedProxies(networks: [])

  init(networks: [Network]) {
    self.networks = networks
  }

  /// Parses a comma-separated list of addresses and CIDR ranges (`10.0.0.0/8, ::1`).
  public init(parsing list: String) throws {
    var networks: [Network] = []
    for item in list.split(separator: ",") {
      let entry = item.trimmingCharacters(in: .whitespaces)
      let parts = entry.split(separator: "/", maxSplits: 1).map(String.init)
      guard let address = IPAddress.parse(parts[0]) else {
        throw ConfigErrorMessage(stringLiteral: "\"\(entry)\" is not an IP address or CIDR range")
      }
      let maximum = address.count * 8
      var prefix = maximum
      if parts.count == 2 {
        guard let value = Int(parts[1]), (0...maximum).contains(value) else {
          throw ConfigErrorMessage(stringLiteral: "\"\(entry)\" has an invalid prefix length")
        }
        prefix = value
      }
      networks.append(Network(address: address, prefixLength: prefix))
    }
    self.networks = networks
  }

  func trusts(_ address: String) -> Bool {
    guard let bytes = IPAddress.parse(address) else { return false }
    return networks.contains { $0.contains(bytes) }
  }

  /// The client's address: the peer, unless the peer is a trusted proxy, in which case the
  /// right-most address of `X-Forwarded-For` that is not itself a trusted proxy.
  func clientAddress(peer: String?, forwardedFor: [String]) -> String? {
    guard let peer, trusts(peer) else { return peer }
    let hops = forwardedFor.flatMap { $0.split(separator: ",") }
      .map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty }
    for hop in hops.reversed() where !trusts(hop) {
      return IPAddress.parse(hop) == nil ? peer : hop
    }
    return hops.first ?? peer
  }
}

enum IPAddress {
  /// The address's bytes (4 for IPv4, 16 for IPv6), or nil when it is not an address.
  static func parse(_ text: String) -> [UInt8]? {
    var v4 = in_addr()
    if inet_pton(AF_INET, text, &v4) == 1 {
      return withUnsafeBytes(of: &v4) { Array($0) }
    }
    var v6 = in6_addr()
    if inet_pton(AF_INET6, text, &v6) == 1 {
      return withUnsafeBytes(of: &v6) { Array($0) }
    }
    return nil
  }
}
