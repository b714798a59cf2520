import Fluent
import Foundation
import JSONCore
import PostgresKit
import SQLKit
import Templating

/// What a generation reads, as plain rows rather than Fluent models: Fluent finds a model's
/// properties by reflection for every row it decodes or saves, 14 % of the server's CPU in
/// `POST /prompts/generate` before this (scripts/bench.sh with BENCH_PROFILE=1, 2026-11-26).
/// The SQL is literal text (SQLKit's identifier quoting was another 5 %), prepared once per
/// connection on PostgreSQL (`FixedStatement`).
struct GenerationIssue: Sendable {
  let id: UUID
  /// The built-in variables templates see (`IssueContext`).
  let variables: JSONValue

  /// The company's issue with its tracker's name, or nil.
  static func find(_ id: UUID, companyID: UUID, on database: any Database) async throws -> Self? {
    try await database.firstRow(Statement(id: id, companyID: companyID)).map {
      try Self(id: id, row: $0)
    }
  }

  struct Statement: FixedStatement {
    static let readsByKey = true
    static let sql = """
      SELECT issues.ext_key, issues.title, issues.description_md, issues.criteria_md,
        issues.status, issues.status_category, issues.priority, issues.issue_type,
        issues.labels_json, issues.assignee_name, issues.assignee_email, issues.url,
        trackers.name AS tracker_name
      FROM issues LEFT JOIN trackers ON trackers.id = issues.tracker_id
      WHERE issues.id = $1 AND issues.company_id = $2 AND issues.deleted_at IS NULL
      """
    let id: UUID
    let companyID: UUID
    var values: [BoundValue] { [.uuid(id), .uuid(companyID)] }
  }
}

/// A template and the version a generation renders: the one asked for by number or label, else
/// the one labelled `production`, else the latest.
struct GenerationTemplate: Sendable {
  let id: UUID
  let name: String
  let archived: Bool
  /// The version asked for (or the one the label names, or the latest).
  let versionNumber: Int
  /// The label the version was found through (`latest` when none names it); nil when the
  /// request named a version number.
  let label: String?
  /// Nil when that version does not exist.
  let version: Version?

  struct Version: Sendable {
    let id: UUID
    let bodyMarkdown: String
    let lintJSON: String?
    /// The version's token budget.
    let maxTokens: Int?
  }

  /// Nil when the company has no such template; 404 when the label asked for is not set.
  static func find(
    _ id: UUID, companyID: UUID, version: Int?, label: String?, on database: any Database
  ) async throws -> Self? {
    try await database.firstRow(
      Statement(id: id, companyID: companyID, version: version, label: label)
    ).map { try Self(id: id, version: version, label: label, row: $0) }
  }

  /// `$4` is the label to look up (nil: none); the version is `$3`, else the label's, else the
  /// latest.
  struct Statement: FixedStatement {
    static let readsByKey = true
    /// For the version and label a request asks for.
    init(id: UUID, companyID: UUID, version: Int?, label: String?) {
      self.id = id
      self.companyID = companyID
      self.version = version
      self.label = Self.lookedUp(version: version, label: label)
    }

    /// The label to look up: none for a version number or `latest`, else the one asked for,
    /// else `production`.
    static func lookedUp(version: Int?, label: String?) -> String? {
      version != nil || label == TemplateLabelName.latest
        ? nil : label ?? TemplateLabelName.production
    }

    static let sql = """
      SELECT prompt_templates.name, prompt_templates.archived_at,
        prompt_templates.latest_version, l.version AS label_version, v.id AS version_id,
        v.body_md AS version_body, v.lint_json AS version_lint, v.max_tokens AS version_max_tokens
      FROM prompt_templates
      LEFT JOIN template_labels l
        ON l.template_id = prompt_templates.id AND l.label = $4
      LEFT JOIN prompt_template_versions v
        ON v.template_id = prompt_templates.id
        AND v.version = COALESCE(CAST($3 AS BIGINT), l.version, prompt_templates.latest_version)
      WHERE prompt_templates.id = $1 AND prompt_templates.company_id = $2
      """
    let id: UUID
    let companyID: UUID
    let version: Int?
    let label: String?
    var values: [BoundValue] { [.uuid(id), .uuid(companyID), .int(version), .text(label)] }
  }
}

extension GenerationIssue {
  /// The issue of `Statement`'s row.
  init(id: UUID, row: any SQLRow) throws {
    let labelsJSON = try row.decode(column: "labels_json", as: String.self)
    let fields = IssueContext.Fields(
      key: try row.decode(column: "ext_key", as: String.self),
      title: try row.decode(column: "title", as: String.self),
      description: try row.decode(column: "description_md", as: String.self),
      criteria: try row.decode(column: "criteria_md", as: String.self),
      status: try row.decode(column: "status", as: String.self),
      statusCategory: try row.decode(column: "status_category", as: String.self),
      priority: try row.decode(column: "priority", as: String?.self),
      type: try row.decode(column: "issue_type", as: String?.self),
      labels: Self.labels(labelsJSON),
      assigneeName: try row.decode(column: "assignee_name", as: String?.self),
      assigneeEmail: try row.decode(column: "assignee_email", as: String?.self),
      url: try row.decode(column: "url", as: String?.self))
    self.init(
      id: id,
      variables: IssueContext.variables(
        of: fields, trackerName: try row.decode(column: "tracker_name", as: String?.self) ?? ""))
  }
}

extension GenerationIssue {
  /// The labels of `labels_json` (an array of strings), with the project's parser: Foundation's
  /// `JSONDecoder` for a few labels was 0.7 % of a generation's CPU (perf, 2026-12-07). Text
  /// that is not such an array gives no labels, as before.
  static func labels(_ json: String) -> [String] {
    guard case .array(let values)? = try? JSONValue(parsing: json) else { return [] }
    var labels: [String] = []
    labels.reserveCapacity(values.count)
    for value in values {
      guard case .string(let label) = value else { return [] }
      labels.append(label)
    }
    return labels
  }
}

extension GenerationTemplate {
  /// The template of `Statement`'s row, for the version and label asked for; 404 when the
  /// label is not set.
  init(id: UUID, version: Int?, label: String?, row: any SQLRow) throws {
    let lookedUp = Statement.lookedUp(version: version, label: label)
    let labelVersion = try row.decode(column: "label_version", as: Int?.self)
    if let label, label != TemplateLabelName.latest, labelVersion == nil {
      throw AppError.notFound("Label \"\(label)\" of this template")
    }
    let used: String? =
      version != nil ? nil : labelVersion != nil ? lookedUp : TemplateLabelName.latest
    let versionID = try row.decode(column: "version_id", as: UUID?.self)
    self.init(
      id: id, name: try row.decode(column: "name", as: String.self),
      archived: try !row.decodeNil(column: "archived_at"),
      versionNumber: try version ?? labelVersion
        ?? row.decode(column: "latest_version", as: Int.self),
      label: used,
      version: try versionID.map {
        Version(
          id: $0, bodyMarkdown: try row.decode(column: "version_body", as: String.self),
          lintJSON: try row.decode(column: "version_lint", as: String?.self),
          maxTokens: try row.decode(column: "version_max_tokens", as: Int?.self))
      })
  }
}
