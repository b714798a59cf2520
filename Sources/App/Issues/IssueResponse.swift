import Foundation
import JSONCore
import Vapor

struct IssueAssignee: Content {
  let name: String?
  let email: String?
  let userId: String?
}

struct IssueResponse: Content {
  let id: String
  let trackerId: String
  /// The tracker's name, which developers cannot read from `GET /trackers` (admins only).
  var trackerName: String?
  let extKey: String
  let title: String
  let status: String
  let statusCategory: String
  let priority: String?
  let type: String?
  let labels: [String]
  let assignee: IssueAssignee?
  let descriptionMd: String
  let criteriaMd: String
  let url: String?
  let updatedAt: Date?
  /// The tracker's raw issue, for leads and admins on `GET /issues/:id`.
  let payload: JSONValue?
  /// When the tracker deleted it; absent while it exists.
  let deletedAt: Date?

  /// The one place an issue's API form is made: ids in lower case, no assignee object when
  /// nothing names one, and the tracker's update time before ours.
  init(
    id: UUID, trackerID: UUID, externalKey: String, title: String, status: String,
    statusCategory: String, priority: String?, issueType: String?, labels: [String],
    assigneeName: String?, assigneeEmail: String?, assigneeID: UUID?, descriptionMarkdown: String,
    criteriaMarkdown: String, url: String?, externalUpdatedAt: Date?, updatedAt: Date?,
    createdAt: Date?, deletedAt: Date? = nil, payload: JSONValue? = nil
  ) {
    self.id = id.lowercasedText
    trackerId = trackerID.lowercasedText
    extKey = externalKey
    self.title = title
    self.status = status
    self.statusCategory = statusCategory
    self.priority = priority
    type = issueType
    self.labels = labels
    assignee =
      assigneeName == nil && assigneeEmail == nil && assigneeID == nil
      ? nil
      : IssueAssignee(
        name: assigneeName, email: assigneeEmail, userId: assigneeID?.lowercasedText)
    descriptionMd = descriptionMarkdown
    criteriaMd = criteriaMarkdown
    self.url = url
    self.updatedAt = externalUpdatedAt ?? updatedAt ?? createdAt
    self.payload = payload
    self.deletedAt = deletedAt
  }

  init(_ issue: Issue, payload: JSONValue? = nil) throws {
    self.init(
      id: try issue.requireID(), trackerID: issue.$tracker.id, externalKey: issue.externalKey,
      title: issue.title, status: issue.status, statusCategory: issue.statusCategory,
      priority: issue.priority, issueType: issue.issueType, labels: issue.labels,
      assigneeName: issue.assigneeName, assigneeEmail: issue.assigneeEmail,
      assigneeID: issue.$assignee.id, descriptionMarkdown: issue.descriptionMarkdown,
      criteriaMarkdown: issue.criteriaMarkdown, url: issue.url,
      externalUpdatedAt: issue.externalUpdatedAt, updatedAt: issue.updatedAt,
      createdAt: issue.createdAt, deletedAt: issue.deletedAt, payload: payload)
  }

}
