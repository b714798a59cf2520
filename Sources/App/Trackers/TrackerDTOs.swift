import Foundation
import Trackers
import Vapor

struct TrackerResponse: Content {
  let id: String
  let type: String
  let name: String
  let baseUrl: String
  let authKind: String?
  /// Which credential fields are stored; their values are never returned.
  let credentialsSet: [String]
  let acceptanceCriteriaField: String?
  let jql: String?
  /// The repositories (GitHub), projects (GitLab) or teams (Linear) synced; null for the others.
  let scope: TrackerScope?
  let syncIntervalMinutes: Int
  let webhookSecretSet: Bool
  /// Where to point the tracker's webhook (from `PUBLIC_BASE_URL`); null for Teamwork.
  let webhookUrl: String?
  let syncCursor: Date?
  let lastSyncAt: Date?
  let lastError: String?
  let needsReauth: Bool
  let issueCount: Int
  let createdAt: Date?
  let archivedAt: Date?

  init(_ tracker: Tracker, auth: TrackerAuth?, issueCount: Int, publicBaseURL: String? = nil)
    throws
  {
    let trackerID = try tracker.requireID().lowercasedText
    id = trackerID
    type = tracker.type
    name = tracker.name
    baseUrl = tracker.baseURL
    authKind = auth?.kind.rawValue
    credentialsSet = auth?.setFields ?? []
    acceptanceCriteriaField = tracker.acceptanceCriteriaField
    jql = tracker.jql
    scope = tracker.scopeJSON == nil ? nil : tracker.scope
    syncIntervalMinutes = tracker.syncIntervalMinutes
    webhookSecretSet = tracker.webhookSecret != nil
    let hook =
      tracker.type.hasPrefix("jira")
      ? "jira" : ["github", "gitlab", "linear"].contains(tracker.type) ? tracker.type : nil
    webhookUrl = hook.flatMap { hook in publicBaseURL.map { "\($0)/webhooks/\(hook)/\(trackerID)" }
    }
    syncCursor = tracker.syncCursor
    lastSyncAt = tracker.lastSyncAt
    lastError = tracker.lastError
    needsReauth = tracker.needsReauth
    self.issueCount = issueCount
    createdAt = tracker.createdAt
    archivedAt = tracker.archivedAt
  }
}

struct TrackerTestResponse: Content {
  let ok: Bool
  let detail: String
}

struct SyncSummary: Content {
  let pages: Int
  let fetched: Int
  let created: Int
  let updated: Int
  let unchanged: Int
  /// Stored issues a sweep found deleted at the tracker.
  let deleted: Int
  /// Whether this sync was the daily sweep (every issue listed, the missing ones re-read).
  let swept: Bool
  let cursor: Date?
}
