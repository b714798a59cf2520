import Foundation

/// An IPv4 or IPv6 address range in CIDR form (`10.0.0.0/8`, `::1/128`).
public struct IPNetwork: Sendable, Hashable {
  /// The network's address bytes: 4 for IPv4, 16 for IPv6.
  public let address: [UInt8]
  /// How many leading bits must match.
  public let prefixLength: Int

  /// A range from its bytes and prefix length.
  public init(address: [UInt8], prefixLength: Int) {
    self.address = address
    self.prefixLength = prefixLength
  }

  /// Parses `ADDRESS` or `ADDRESS/PREFIX`; nil when it is neither.
  public init?(parsing text: String) {
    let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
    guard let first = parts.first, let address = IPAddressBytes.parse(first) else { return nil }
    var prefix = address.count * 8
    if parts.count == 2 {
      guard let value = Int(parts[1]), (0...prefix).contains(value) else { return nil }
      prefix = value
    }
    self.init(address: address, prefixLength: prefix)
  }

  /// Whether `candidate` (4 or 16 bytes) lies in the range.
  public func contains(_ candidate: [UInt8]) -> Bool {
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

/// Textual IP addresses to and from bytes.
public enum IPAddressBytes {
  /// The address's bytes (4 for IPv4, 16 for IPv6), or nil when `text` is not an address.
  /// Brackets around an IPv6 literal (`[::1]`, as in URLs) are accepted.
  public static func parse(_ text: String) -> [UInt8]? {
    var text = text
    if text.hasPrefix("[") && text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
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

  /// The canonical text of 4 or 16 address bytes.
  public static func format(_ bytes: [UInt8]) -> String {
    let family = bytes.count == 4 ? AF_INET : AF_INET6
    var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
    let ok = bytes.withUnsafeBytes { raw in
      inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil
    }
    guard ok else { return "?" }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
