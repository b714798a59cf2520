import Foundation
import NIOPosix

/// Resolves a host name to its addresses; the outbound policy checks every one.
public struct HostResolver: Sendable {
  /// Returns the address bytes (4 or 16 each) of `host`; empty when it does not resolve.
  public var resolve: @Sendable (_ host: String) async -> [[UInt8]]

  /// A resolver from a function (tests use fixed answers).
  public init(resolve: @escaping @Sendable (_ host: String) async -> [[UInt8]]) {
    self.resolve = resolve
  }

  /// The system resolver (`getaddrinfo`), run on NIO's blocking thread pool.
  public static let system = HostResolver { host in
    (try? await NIOThreadPool.singleton.runIfActive { lookUp(host) }) ?? []
  }

  static func lookUp(_ host: String) -> [[UInt8]] {
    var hints = addrinfo()
    hints.ai_family = AF_UNSPEC
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var list: UnsafeMutablePointer<addrinfo>?
    guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [] }
    defer { freeaddrinfo(list) }
    var addresses: [[UInt8]] = []
    var cursor: UnsafeMutablePointer<addrinfo>? = first
    while let entry = cursor {
      if let address = entry.pointee.ai_addr {
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
          address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4 in
            var raw = v4.pointee.sin_addr
            addresses.append(withUnsafeBytes(of: &raw) { Array($0) })
          }
        case AF_INET6:
          address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
            var raw = v6.pointee.sin6_addr
            addresses.append(withUnsafeBytes(of: &raw) { Array($0) })
          }
        default: break
        }
      }
      cursor = entry.pointee.ai_next
    }
    var seen = Set<[UInt8]>()
    return addresses.filter { seen.insert($0).inserted }
  }
}

extension HostResolver {
  /// Answers from a table of host names to addresses and never queries DNS: for tests, whose
  /// made-up hosts must not leave the machine even as a DNS query.
  public static func fixed(_ table: [String: [String]]) -> HostResolver {
    let bytes = table.mapValues { $0.compactMap(IPAddressBytes.parse) }
    return HostResolver { host in bytes[host.lowercased()] ?? [] }
  }
}
