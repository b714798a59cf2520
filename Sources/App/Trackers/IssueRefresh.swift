import Fluent
import Foundation
import Logging
import Trackers

/// Re-reads one issue from its tracker and stores what the tracker says now: the issue
/// upserted, or marked deleted when the tracker no longer has it. A deletion is believed only
/// from the tracker's answer about that very key (a signed event, or an issue missing from a
/// listing, can be stale): the issue gets `deleted_at`, which takes it out of the lists and of
/// new generations and keeps it for the prompts made from it.
struct IssueRefresh: Sendable {
  let database: any Database
  let logger: Logger

  enum Outcome: Equatable { case stored, deleted }

  func refresh(key: String, tracker: Tracker, client: any TrackerClient) async throws -> Outcome {
    let issue: TrackerIssue
    do {
      issue = try await client.fetchIssue(externalKey: key)
    } catch TrackerError.notFound(let detail) where detail.contains(key) {
      // The 404 is the issue's own (its key is in the URL or the query), not another resource's.
      try await markDeleted(key: key, tracker: tracker)
      return .deleted
    }
    if issue.key != key {
      // Found under another key (a Linear issue moved to another team of the scope): the row
      // under the old key is the same issue, now stored under the new one.
      try await markDeleted(key: key, tracker: tracker)
    }
    let sync = TrackerSync(database: database, logger: logger)
    _ = try await database.writeTransaction { transaction in
      try await sync.upsert(issue, tracker: tracker, on: transaction)
    }
    return issue.isDeleted ? .deleted : .stored
  }

  private func markDeleted(key: String, tracker: Tracker) async throws {
    let trackerID = try tracker.requireID()
    try await database.singleWrite { transaction in
      try await Issue.query(on: transaction)
        .filter(\.$tracker.$id == trackerID)
        .filter(\.$externalKey == key).filter(\.$deletedAt == nil)
        .set(\.$deletedAt, to: Date())
        .update()
    }
  }
}
