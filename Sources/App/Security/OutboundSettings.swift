import Foundation
import Trackers

/// The outbound policy for tenant-chosen URLs: `OUTBOUND_ALLOWED_HOSTS`,
/// `OUTBOUND_ALLOW_PRIVATE`, `OUTBOUND_ALLOW_HTTP` and `OUTBOUND_ONLY_ALLOWED`.
enum OutboundSettings {
  /// Reads the variables, appending a message naming the variable for each problem.
  static func load(environment: [String: String], problems: inout [String]) -> OutboundPolicy {
    func flag(_ name: String) -> Bool {
      guard let raw = environment[name], !raw.isEmpty else { return false }
      switch raw.lowercased() {
      case "true", "1", "yes": return true
      case "false", "0", "no": return false
      default:
        problems.append("\(name): must be true or false, got \"\(raw)\"")
        return false
      }
    }
    let (names, networks) = OutboundPolicy.parseAllowedHosts(
      environment["OUTBOUND_ALLOWED_HOSTS"] ?? "")
    for name in names where !isHostName(name) {
      problems.append(
        "OUTBOUND_ALLOWED_HOSTS: \"\(name)\" is not a host name, an IP address or a CIDR range")
    }
    return OutboundPolicy(
      allowedHostNames: names, allowedNetworks: networks,
      allowPrivate: flag("OUTBOUND_ALLOW_PRIVATE"), allowHTTP: flag("OUTBOUND_ALLOW_HTTP"),
      onlyAllowed: flag("OUTBOUND_ONLY_ALLOWED"))
  }

  /// Letters, digits, hyphens and dots: a DNS name (no scheme, port or path).
  static func isHostName(_ text: String) -> Bool {
    !text.isEmpty && text.count <= 253
      && text.unicodeScalars.allSatisfy {
        ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "."
      }
  }
}
