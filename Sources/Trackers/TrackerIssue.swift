import Foundation

/// An issue or task normalised from any tracker, ready to upsert on `(tracker_id, ext_key)`.
public struct TrackerIssue: Sendable, Equatable {
  /// The tracker's stable id (Jira issue id, Teamwork task id).
  public var externalId: String
  /// The human key (`SHOP-142`); for Teamwork the task id.
  public var key: String
  /// The summary or task name.
  public var title: String
  /// The description as Markdown (empty when there is none).
  public var descriptionMarkdown: String
  /// The acceptance criteria as Markdown, or `nil` when the issue has none.
  public var criteriaMarkdown: String?
  /// The tracker's own status name (`In Review`, `reopened`).
  public var statusName: String
  /// The status mapped to Promptsmith's three categories.
  public var statusCategory: StatusCategory
  /// The priority name, if any.
  public var priority: String?
  /// The issue type name (`Story`, `Bug`, `Task`).
  public var type: String?
  /// Labels or tag names.
  public var labels: [String]
  /// Every assigned user, the primary one first.
  public var assignees: [TrackerUser]
  /// The issue's page in the tracker's web UI.
  public var browseURL: String
  /// The tracker's last-updated instant (parsed with its offset).
  public var updatedAt: Date
  /// True when the tracker reports the issue as deleted (tombstone it).
  public var isDeleted: Bool
  /// The issue's JSON exactly as the tracker sent it, for `payload_json`.
  public var rawJSON: Data

  /// Creates an issue.
  public init(
    externalId: String, key: String, title: String, descriptionMarkdown: String,
    criteriaMarkdown: String?, statusName: String, statusCategory: StatusCategory,
    priority: String?, type: String?, labels: [String], assignees: [TrackerUser],
    browseURL: String, updatedAt: Date, isDeleted: Bool = false, rawJSON: Data
  ) {
    self.externalId = externalId
    self.key = key
    self.title = title
    self.descriptionMarkdown = descriptionMarkdown
    self.criteriaMarkdown = criteriaMarkdown
    self.statusName = statusName
    self.statusCategory = statusCategory
    self.priority = priority
    self.type = type
    self.labels = labels
    self.assignees = assignees
    self.browseURL = browseURL
    self.updatedAt = updatedAt
    self.isDeleted = isDeleted
    self.rawJSON = rawJSON
  }

  /// The primary assignee (the first one), if any.
  public var assignee: TrackerUser? { assignees.first }
}

/// A user as a tracker describes them; the App links them to a Promptsmith user by e-mail.
public struct TrackerUser: Sendable, Equatable, Hashable {
  /// The tracker's id for the user (accountId, DC user key, Teamwork user id).
  public var externalId: String
  /// The display name.
  public var name: String?
  /// The e-mail address, when visible.
  public var email: String?

  /// Creates a user.
  public init(externalId: String, name: String?, email: String?) {
    self.externalId = externalId
    self.name = name
    self.email = email
  }
}

/// Promptsmith's status categories (stored as their raw values).
public enum StatusCategory: String, Sendable, Codable, CaseIterable {
  /// Not started.
  case todo
  /// Started, not done.
  case inProgress = "in_progress"
  /// Finished (or closed).
  case done

  /// Maps Jira's `statusCategory.key` (`new`, `indeterminate`, `done`); unknown keys are `todo`.
  public init(jiraKey: String?) {
    switch jiraKey?.lowercased() {
    case "indeterminate": self = .inProgress
    case "done": self = .done
    default: self = .todo
    }
  }
}
