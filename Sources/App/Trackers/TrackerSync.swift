import Fluent
import Foundation
import Logging
import Trackers

/// One sync of a tracker: pages from the cursor, each upserted in its own transaction, the
/// cursor advanced only after a page commits, so that a crash resumes without loss.
///
/// Once a day the sync is a sweep: it lists every issue, not only the changed ones, and re-reads
/// each stored issue the listing did not return, so that an issue deleted without an event
/// (GitLab sends none, and any webhook can be missed) is marked deleted when its tracker says
/// it is gone. The re-read decides, not the listing: an offset-paged listing can skip an issue
/// that others moved past while it ran.
struct TrackerSync: Sendable {
  let database: any Database
  let logger: Logger

  /// How long after a sweep the next sync is one again.
  static let sweepInterval: TimeInterval = 24 * 3600
  /// The most missing issues one sweep re-reads (chosen at random when there are more, so that
  /// issues that only left the tracker's filter cannot starve the others).
  static let maximumSweepRereads = 200

  static func isSweepDue(_ tracker: Tracker, now: Date) -> Bool {
    tracker.sweptAt.map { now.timeIntervalSince($0) >= sweepInterval } ?? true
  }

  func run(
    tracker: Tracker, client: any TrackerClient, now: Date = Date(), sweep: Bool? = nil
  ) async throws -> SyncSummary {
    let trackerID = try tracker.requireID()
    let sweeping = sweep ?? Self.isSweepDue(tracker, now: now)
    var cursor = tracker.syncCursor
    var seen: Set<String> = []
    var totals = (pages: 0, fetched: 0, created: 0, updated: 0, unchanged: 0, deleted: 0)
    do {
      for try await page in client.fetchIssues(updatedSince: sweeping ? nil : cursor) {
        if sweeping { seen.formUnion(page.issues.map(\.key)) }
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
      if sweeping {
        totals.deleted = try await reread(missingFrom: seen, tracker: tracker, client: client)
      }
    } catch {
      let reauth = ((error as? TrackerError)?.needsReauthorization ?? false) || tracker.needsReauth
      let message = String(describing: error).prefix(1000).description
      try await database.singleWrite { transaction in
        try await Tracker.query(on: transaction).filter(\.$id == trackerID)
          .set(\.$lastError, to: message).set(\.$needsReauth, to: reauth)
          .update()
      }
      throw error
    }
    try await database.singleWrite { [now] transaction in
      let finished = Tracker.query(on: transaction).filter(\.$id == trackerID)
        .set(\.$lastSyncAt, to: now).set(\.$lastError, to: nil)
      try await (sweeping ? finished.set(\.$sweptAt, to: now) : finished).update()
    }
    logger.info(
      "Tracker synced",
      metadata: [
        "tracker": .string(trackerID.lowercasedText), "pages": "\(totals.pages)",
        "created": "\(totals.created)", "updated": "\(totals.updated)",
        "sweep": "\(sweeping)", "deleted": "\(totals.deleted)",
      ])
    return SyncSummary(
      pages: totals.pages, fetched: totals.fetched, created: totals.created,
      updated: totals.updated, unchanged: totals.unchanged, deleted: totals.deleted,
      swept: sweeping, cursor: cursor)
  }

  /// Re-reads the live issues a complete listing did not return; how many turned out deleted.
  private func reread(missingFrom seen: Set<String>, tracker: Tracker, client: any TrackerClient)
    async throws -> Int
  {
    let live = try await Issue.query(on: database)
      .filter(\.$tracker.$id == tracker.requireID()).filter(\.$deletedAt == nil)
      .all(\.$externalKey)
    let missing = live.filter { !seen.contains($0) }
    if missing.count > Self.maximumSweepRereads {
      logger.warning(
        "Sweep: more issues missing from the listing than one sweep re-reads",
        metadata: ["missing": "\(missing.count)", "reread": "\(Self.maximumSweepRereads)"])
    }
    let refresh = IssueRefresh(database: database, logger: logger)
    var deleted = 0
    for key in missing.shuffled().prefix(Self.maximumSweepRereads) {
      if try await refresh.refresh(key: key, tracker: tracker, client: client) == .deleted {
        deleted += 1
      }
    }
    return deleted
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
