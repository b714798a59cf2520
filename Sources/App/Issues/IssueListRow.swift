import Foundation
import SQLKit

/// The columns `GET /issues` shows, read with SQLKit rather than as Fluent models: Fluent finds a
/// model's properties by reflection for every row, and decoding a page of 51 issues that way was
/// about 40 % of the server's CPU on this endpoint (scripts/bench.sh + perf, 2026-11-26). The
/// tracker's raw payload, which the list never shows, is not read either.
struct IssueListRow: Decodable {
  let id: UUID
  let trackerID: UUID
  let externalKey: String
  let title: String
  let status: String
  let statusCategory: String
  let priority: String?
  let issueType: String?
  let labelsJSON: String
  let assigneeID: UUID?
  let assigneeName: String?
  let assigneeEmail: String?
  let url: String?
  let descriptionMarkdown: String
  let criteriaMarkdown: String
  let externalUpdatedAt: Date?
  let createdAt: Date?
  let updatedAt: Date?

  enum CodingKeys: String, CodingKey, CaseIterable {
    case id
    case trackerID = "tracker_id"
    case externalKey = "ext_key"
    case title, status
    case statusCategory = "status_category"
    case priority
    case issueType = "issue_type"
    case labelsJSON = "labels_json"
    case assigneeID = "assignee_id"
    case assigneeName = "assignee_name"
    case assigneeEmail = "assignee_email"
    case url
    case descriptionMarkdown = "description_md"
    case criteriaMarkdown = "criteria_md"
    case externalUpdatedAt = "external_updated_at"
    case createdAt = "created_at"
    case updatedAt = "updated_at"
  }

  static var columns: [any SQLExpression] {
    CodingKeys.allCases.map { SQLColumn($0.rawValue) }
  }
}

extension IssueResponse {
  init(_ row: IssueListRow, labelsDecoder: JSONDecoder) {
    id = row.id.uuidString.lowercased()
    trackerId = row.trackerID.uuidString.lowercased()
    extKey = row.externalKey
    title = row.title
    status = row.status
    statusCategory = row.statusCategory
    priority = row.priority
    type = row.issueType
    labels = (try? labelsDecoder.decode([String].self, from: Data(row.labelsJSON.utf8))) ?? []
    assignee =
      row.assigneeName == nil && row.assigneeEmail == nil && row.assigneeID == nil
      ? nil
      : IssueAssignee(
        name: row.assigneeName, email: row.assigneeEmail,
        userId: row.assigneeID?.uuidString.lowercased())
    descriptionMd = row.descriptionMarkdown
    criteriaMd = row.criteriaMarkdown
    url = row.url
    updatedAt = row.externalUpdatedAt ?? row.updatedAt ?? row.createdAt
    payload = nil
  }
}
