/// What kind of destination an IP address is, for the outbound policy.
///
/// Every class but `.global` is refused for tenant-chosen URLs unless the operator allows it:
/// these are the addresses an attacker aims at through a server (its own loopback services,
/// the cloud metadata endpoint at 169.254.169.254, the internal network).
public enum AddressClass: String, Sendable, Hashable {
  case loopback
  case linkLocal = "link-local"
  case unspecified
  case multicast
  /// RFC 1918, shared address space (100.64/10) and IPv6 unique local addresses (fc00::/7).
  case `private`
  /// Reserved, documentation, benchmarking and broadcast ranges: never a tracker.
  case reserved
  /// Anything else: the public internet.
  case global

  /// Classifies 4 or 16 address bytes; IPv4 embedded in IPv6 (mapped, compatible, NAT64) is
  /// classified as the IPv4 address it carries.
  public static func of(_ bytes: [UInt8]) -> AddressClass {
    if bytes.count == 4 { return ofIPv4(bytes) }
    guard bytes.count == 16 else { return .reserved }
    if let embedded = embeddedIPv4(bytes) { return ofIPv4(embedded) }
    if bytes.allSatisfy({ $0 == 0 }) { return .unspecified }
    if bytes.dropLast().allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return .loopback }
    switch bytes[0] {
    case 0xFF: return .multicast
    case 0xFC, 0xFD: return .private
    case 0xFE where bytes[1] & 0xC0 == 0x80: return .linkLocal
    case 0xFE where bytes[1] & 0xC0 == 0xC0: return .private  // deprecated site-local
    default: break
    }
    // 2001:db8::/32 (documentation), 100::/64 (discard).
    if bytes[0] == 0x20, bytes[1] == 0x01, bytes[2] == 0x0D, bytes[3] == 0xB8 { return .reserved }
    if bytes[0] == 0x01, bytes[1] == 0x00, bytes[2...7].allSatisfy({ $0 == 0 }) { return .reserved }
    return .global
  }

  static func ofIPv4(_ b: [UInt8]) -> AddressClass {
    switch (b[0], b[1]) {
    case (0, _): return .unspecified
    case (127, _): return .loopback
    case (169, 254): return .linkLocal
    case (10, _), (192, 168): return .private
    case (172, 16...31): return .private
    case (100, 64...127): return .private
    case (224...239, _): return .multicast
    case (240...255, _): return .reserved
    case (192, 0) where b[2] == 0 || b[2] == 2: return .reserved
    case (198, 18...19): return .reserved
    case (198, 51) where b[2] == 100: return .reserved
    case (203, 0) where b[2] == 113: return .reserved
    default: return .global
    }
  }

  /// The IPv4 address inside `::ffff:a.b.c.d`, `::a.b.c.d` and `64:ff9b::a.b.c.d`.
  static func embeddedIPv4(_ b: [UInt8]) -> [UInt8]? {
    let tail = Array(b[12...15])
    if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xFF && b[11] == 0xFF { return tail }
    if b[0..<12].allSatisfy({ $0 == 0 }) && !(tail == [0, 0, 0, 0] || tail == [0, 0, 0, 1]) {
      return tail
    }
    if b[0] == 0x00, b[1] == 0x64, b[2] == 0xFF, b[3] == 0x9B, b[4..<12].allSatisfy({ $0 == 0 }) {
      return tail
    }
    return nil
  }
}
