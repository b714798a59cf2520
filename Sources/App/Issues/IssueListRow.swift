import Foundation
import SQLKit

/// The columns `GET /issues` shows, read with SQLKit rather than as Fluent models: Fluent finds a
/// model's properties by reflection for every row, and decoding a page of 51 issues that way was
/// about 40 % of the server's CPU on this endpoint (scripts/bench.sh + perf, 2026-11-26). The
/// tracker's raw payload, which the list never shows, is not read either.
struct IssueListRow {
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
  let deletedAt: Date?

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
    case deletedAt = "deleted_at"
  }

  /// The column list as literal SQL: SQLKit quotes each `SQLColumn` through `String.replacing`,
  /// which showed in the profile (perf, 2026-11-26).
  static let columns = SQLRaw(CodingKeys.allCases.map(\.rawValue).joined(separator: ", "))
}

extension IssueListRow {
  /// Decodes the columns one by one: `SQLRow.decode(model:)` goes through a `Decoder` whose
  /// keyed container cost 23 % of the server's CPU on `GET /issues` (perf, 2026-11-26).
  init(row: any SQLRow) throws {
    id = try row.decode(column: "id", as: UUID.self)
    trackerID = try row.decode(column: "tracker_id", as: UUID.self)
    externalKey = try row.decode(column: "ext_key", as: String.self)
    title = try row.decode(column: "title", as: String.self)
    status = try row.decode(column: "status", as: String.self)
    statusCategory = try row.decode(column: "status_category", as: String.self)
    priority = try row.decode(column: "priority", as: String?.self)
    issueType = try row.decode(column: "issue_type", as: String?.self)
    labelsJSON = try row.decode(column: "labels_json", as: String.self)
    assigneeID = try row.decode(column: "assignee_id", as: UUID?.self)
    assigneeName = try row.decode(column: "assignee_name", as: String?.self)
    assigneeEmail = try row.decode(column: "assignee_email", as: String?.self)
    url = try row.decode(column: "url", as: String?.self)
    descriptionMarkdown = try row.decode(column: "description_md", as: String.self)
    criteriaMarkdown = try row.decode(column: "criteria_md", as: String.self)
    externalUpdatedAt = try row.decode(column: "external_updated_at", as: Date?.self)
    createdAt = try row.decode(column: "created_at", as: Date?.self)
    updatedAt = try row.decode(column: "updated_at", as: Date?.self)
    deletedAt = try row.decode(column: "deleted_at", as: Date?.self)
  }
}

extension IssueResponse {
  init(_ row: IssueListRow, labelsDecoder: JSONDecoder) {
    self.init(
      id: row.id, trackerID: row.trackerID, externalKey: row.externalKey, title: row.title,
      status: row.status, statusCategory: row.statusCategory, priority: row.priority,
      issueType: row.issueType,
      labels: (try? labelsDecoder.decode([String].self, from: Data(row.labelsJSON.utf8))) ?? [],
      assigneeName: row.assigneeName, assigneeEmail: row.assigneeEmail,
      assigneeID: row.assigneeID, descriptionMarkdown: row.descriptionMarkdown,
      criteriaMarkdown: row.criteriaMarkdown, url: row.url,
      externalUpdatedAt: row.externalUpdatedAt, updatedAt: row.updatedAt,
      createdAt: row.createdAt, deletedAt: row.deletedAt)
  }
}
