import Foundation
import Trackers

/// Which peers may tell us the client's address with `X-Forwarded-For`.
public struct TrustedProxies: Sendable, Equatable {
  let networks: [IPNetwork]

  public static let none = TrustedProxies(networks: [])

  init(networks: [IPNetwork]) {
    self.networks = networks
  }

  /// Parses a comma-separated list of addresses and CIDR ranges (`10.0.0.0/8, ::1`).
  public init(parsing list: String) throws {
    var networks: [IPNetwork] = []
    for item in list.split(separator: ",") {
      let entry = item.trimmingCharacters(in: .whitespaces)
      let address = entry.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
      guard IPAddressBytes.parse(address) != nil else {
        throw ConfigErrorMessage(stringLiteral: "\"\(entry)\" is not an IP address or CIDR range")
      }
      guard let network = IPNetwork(parsing: entry) else {
        throw ConfigErrorMessage(stringLiteral: "\"\(entry)\" has an invalid prefix length")
      }
      networks.append(network)
    }
    self.networks = networks
  }

  func trusts(_ address: String) -> Bool {
    guard let bytes = IPAddressBytes.parse(address) else { return false }
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
      return IPAddressBytes.parse(hop) == nil ? peer : hop
    }
    return hops.first ?? peer
  }
}
