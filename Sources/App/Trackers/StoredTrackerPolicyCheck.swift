import Fluent
import Logging
import Trackers

/// At start, one warning per live tracker whose stored base URL the outbound policy refuses
/// (an upgrade from before the policy, or a narrowed `OUTBOUND_*`). The tracker and its issues
/// stay; its syncs fail with a `lastError` naming the rule until the operator admits the host
/// or an admin changes the URL.
enum StoredTrackerPolicyCheck {
  /// Checks what needs no DNS (scheme, fragment, user info, literal addresses, listing).
  @discardableResult
  static func warn(database: any Database, policy: OutboundPolicy, logger: Logger) async throws
    -> Int
  {
    let trackers = try await Tracker.query(on: database).filter(\.$archivedAt == nil).all()
    var refused = 0
    for tracker in trackers {
      do {
        _ = try policy.checkSyntax(tracker.baseURL)
      } catch {
        refused += 1
        logger.warning(
          "A tracker's base URL breaks the outbound policy: its syncs will fail until it is admitted",
          metadata: [
            "tracker": .string(tracker.id?.lowercasedText ?? "?"),
            "company": .string(tracker.$company.id.lowercasedText),
            "rule": .string(error.rule.rawValue), "reason": .string(error.message),
          ])
      }
    }
    return refused
  }
}
