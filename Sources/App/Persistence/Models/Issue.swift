import Fluent
import Foundation

/// An issue synced from a tracker, normalised to Markdown, with the tracker's raw payload.
final class Issue: Model, @unchecked Sendable {
  static let schema = "issues"

  @ID(custom: .id, generatedBy: .user) var id: UUID?
  @Parent(key: "company_id") var company: Company
  @Parent(key: "tracker_id") var tracker: Tracker
  @Field(key: "ext_key") var externalKey: String
  @Field(key: "title") var title: String
  @Field(key: "description_md") var descriptionMarkdown: String
  @Field(key: "criteria_md") var criteriaMarkdown: String
  @Field(key: "status") var status: String
  /// `todo`, `in_progress` or `done`.
  @Field(key: "status_category") var statusCategory: String
  @OptionalField(key: "priority") var priority: String?
  @OptionalField(key: "issue_type") var issueType: String?
  @Field(key: "labels_json") var labelsJSON: String
  @OptionalParent(key: "assignee_id") var assignee: User?
  @OptionalField(key: "assignee_name") var assigneeName: String?
  @OptionalField(key: "assignee_email") var assigneeEmail: String?
  @OptionalField(key: "url") var url: String?
  @Field(key: "payload_json") var payloadJSON: String
  @OptionalField(key: "external_updated_at") var externalUpdatedAt: Date?
  /// When the tracker deleted it (or moved it out of the synced scope); nil while it exists.
  @OptionalField(key: "deleted_at") var deletedAt: Date?
  @Timestamp(key: "created_at", on: .create) var createdAt: Date?
  @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

  init() {}

  init(
    id: UUID = .v7(), companyID: UUID, trackerID: UUID, externalKey: String, title: String,
    descriptionMarkdown: String = "", criteriaMarkdown: String = "", status: String = "To Do",
    statusCategory: String = "todo", labels: [String] = [], payloadJSON: String = "{}"
  ) {
    self.id = id
    self.$company.id = companyID
    self.$tracker.id = trackerID
    self.externalKey = externalKey
    self.title = title
    self.descriptionMarkdown = descriptionMarkdown
    self.criteriaMarkdown = criteriaMarkdown
    self.status = status
    self.statusCategory = statusCategory
    self.labelsJSON =
      (try? String(decoding: JSONEncoder().encode(labels), as: UTF8.self)) ?? "[]"
    self.payloadJSON = payloadJSON
  }

  var labels: [String] {
    (try? JSONDecoder().decode([String].self, from: Data(labelsJSON.utf8))) ?? []
  }
}
