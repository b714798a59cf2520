import Trackers

/// A `PATCH` of a tracker's base URL, and whether it leaves the origin its credentials were
/// given for.
struct TrackerMove: Sendable {
  let from: String
  let to: String

  var fromOrigin: String { OutboundPolicy.origin(of: from) ?? from }
  var toOrigin: String { OutboundPolicy.origin(of: to) ?? to }

  /// Scheme, host or port differ (a path change on the same site keeps the credentials).
  var changesOrigin: Bool { fromOrigin != toOrigin }

  /// What the audit row records of a move to another origin.
  var auditDetails: [String: String] {
    changesOrigin ? ["previousOrigin": fromOrigin, "origin": toOrigin] : [:]
  }
}
