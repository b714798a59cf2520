import Fluent
import Foundation
import Logging
import Trackers

/// One sync of a tracker: pages from the cursor, each upserted in its own transaction, the
/// cursor advanced only after a page commits, so that a crash resumes without loss.
struct TrackerSync: Sendable {
  let database: any Database
  let logger: Logger

  func run(tracker: Tracker, client: any TrackerClient, now: Date = Date()) async throws
    -> SyncSummary
  {
    let trackerID = try tracker.requireID()
    var cursor = tracker.syncCursor
    var totals = (pages: 0, fetched: 0, created: 0, updated: 0, unchanged: 0)
    do {
      for try await page in client.fetchIssues(updatedSince: cursor) {
        let previous = cursor
        // Each upsert reads before it writes: on SQLite the page takes the write lock first.
        let outcome = try await database.writeTransaction {
          (transaction: any Database) async throws -> PageOutcome in
          var counts = PageOutcome(cursor: previous)
          for issue in page.issues {
            switch try await upsert(issue, tracker: tracker, on: transaction) {
            case .created: counts.created += 1
            case .updated: counts.updated += 1
            case .unchanged: counts.unchanged += 1
            }
          }
          if let latest = page.cursor, latest > (previous ?? .distantPast) {
            try await Tracker.query(on: transaction).filter(\.$id == trackerID)
              .set(\.$syncCursor, to: latest).update()
            counts.cursor = latest
          }
          return counts
        }
        cursor = outcome.cursor
        totals.pages += 1
        totals.fetched += page.issues.count
        totals.created += outcome.created
        totals.updated += outcome.updated
        totals.unchanged += outcome.unchanged
      }
    } catch {
      let reauth = (error as? TrackerError)?.needsReauthorization ?? false
      try await Tracker.query(on: database).filter(\.$id == trackerID)
        .set(\.$lastError, to: String(describing: error).prefix(1000).description)
        .set(\.$needsReauth, to: reauth || tracker.needsReauth)
        .update()
      throw error
    }
    try await Tracker.query(on: database).filter(\.$id == trackerID)
      .set(\.$lastSyncAt, to: now).set(\.$lastError, to: nil).update()
    logger.info(
      "Tracker synced",
      metadata: [
        "tracker": .string(trackerID.uuidString.lowercased()), "pages": "\(totals.pages)",
        "created": "\(totals.created)", "updated": "\(totals.updated)",
      ])
    return SyncSummary(
      pages: totals.pages, fetched: totals.fetched, created: totals.created,
      updated: totals.updated, unchanged: totals.unchanged, cursor: cursor)
  }

  enum Outcome { case created, updated, unchanged }

  struct PageOutcome: Sendable {
    var created = 0
    var updated = 0
    var unchanged = 0
    var cursor: Date?
  }

  /// Inserts or updates on `(tracker_id, ext_key)`; an unchanged issue is not rewritten.
  func upsert(_ source: TrackerIssue, tracker: Tracker, on database: any Database) async throws
    -> Outcome
  {
    let source = source.withoutNULCharacters
    let trackerID = try tracker.requireID()
    let existing = try await Issue.query(on: database)
      .filter(\.$tracker.$id == trackerID).filter(\.$externalKey == source.key).first()
    let issue =
      existing
      ?? Issue(
        companyID: tracker.$company.id, trackerID: trackerID, externalKey: source.key,
        title: source.title)
    let payload = String(decoding: source.rawJSON, as: UTF8.self)
    // Trackers move `updated` on every edit; the overlap window re-reads recent issues.
    if let existing, let stored = existing.externalUpdatedAt,
      abs(stored.timeIntervalSince(source.updatedAt)) < 0.001,
      (existing.deletedAt != nil) == source.isDeleted
    {
      return .unchanged
    }
    var assigneeID: UUID?
    if let email = source.assignee?.email.map(User.normalize(email:)) {
      assigneeID = try await User.query(on: database)
        .filter(\.$email == email).filter(\.$company.$id == tracker.$company.id).first()?.id
    }
    issue.title = source.title
    issue.descriptionMarkdown = source.descriptionMarkdown
    issue.criteriaMarkdown = source.criteriaMarkdown ?? ""
    issue.status = source.statusName
    issue.statusCategory = source.statusCategory.rawValue
    issue.priority = source.priority
    issue.issueType = source.type
    issue.labelsJSON = String(decoding: try JSONEncoder().encode(source.labels), as: UTF8.self)
    issue.$assignee.id = assigneeID
    issue.assigneeName = source.assignee?.name
    issue.assigneeEmail = source.assignee?.email
    issue.url = source.browseURL
    issue.payloadJSON = payload
    issue.externalUpdatedAt = source.updatedAt
    // Deleted at the tracker: out of the lists, kept for its prompts; back when it comes back.
    issue.deletedAt = source.isDeleted ? (existing?.deletedAt ?? Date()) : nil
    try await issue.save(on: database)
    return existing == nil ? .created : .updated
  }
}
