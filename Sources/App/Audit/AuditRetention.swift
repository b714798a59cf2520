import Fluent
import Foundation
import SQLKit

/// Deletes audit rows older than `AUDIT_RETENTION_DAYS` (daily job `cleanup-audit-events`); 0
/// keeps them forever. The trail is personal data (IPs, user agents, e-mails tried): keeping it
/// longer than it is useful is a liability, and its size is bounded by it.
struct AuditRetention: Sendable {
  let days: Int

  /// Returns how many rows it deleted.
  @discardableResult
  func prune(database: any Database, now: Date = Date()) async throws -> Int {
    guard days > 0 else { return 0 }
    let cutoff = now.addingTimeInterval(-Double(days) * 86_400)
    return try await database.singleWrite { database in
      let old = AuditEvent.query(on: database).filter(\.$createdAt < cutoff)
      let count = try await old.count()
      if count > 0 { try await old.delete() }
      return count
    }
  }
}
