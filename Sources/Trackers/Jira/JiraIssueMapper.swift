import Foundation

/// Maps a Jira issue (`IssueBean`) to a ``TrackerIssue``; shared by Cloud and Data Center.
struct JiraIssueMapper: Sendable {
  /// How rich-text fields are encoded.
  enum RichTextFormat: Sendable {
    /// Jira Cloud REST v3.
    case adf
    /// Jira Data Center / REST v2.
    case wiki
  }

  var format: RichTextFormat
  /// The site URL browse links are built from.
  var siteURL: String
  /// The acceptance-criteria field id, if known.
  var criteriaField: String?

  /// The fields every search and fetch asks for.
  var requestedFields: [String] {
    [
      "summary", "issuetype", "project", "status", "priority", "assignee", "reporter", "labels",
      "created", "updated", "description",
    ] + (criteriaField.map { [$0] } ?? [])
  }

  func map(_ issue: JSONValue, raw: Data) throws -> TrackerIssue {
    guard let id = issue["id"]?.idString, let key = issue["key"]?.string else {
      throw TrackerError.badResponse("issue without id or key")
    }
    let fields = issue["fields"] ?? .object([:])
    guard let updatedText = fields["updated"]?.string, let updated = Timestamps.parse(updatedText)
    else {
      throw TrackerError.badResponse("issue \(key) without a parsable 'updated'")
    }
    let description = richText(fields["description"])
    var criteria = criteriaField.map { richText(fields[$0]) } ?? ""
    if criteria.isEmpty { criteria = CriteriaSection.extract(from: description) ?? "" }
    let status = fields["status"]
    return TrackerIssue(
      externalId: id,
      key: key,
      title: fields["summary"]?.string ?? "",
      descriptionMarkdown: description,
      criteriaMarkdown: criteria.isEmpty ? nil : criteria,
      statusName: status?["name"]?.string ?? "",
      statusCategory: StatusCategory(jiraKey: status?["statusCategory"]?["key"]?.string),
      priority: fields["priority"]?["name"]?.nonEmptyString,
      type: fields["issuetype"]?["name"]?.nonEmptyString,
      labels: (fields["labels"]?.array ?? []).compactMap(\.string),
      assignees: user(fields["assignee"]).map { [$0] } ?? [],
      browseURL: siteURL.trimmingTrailingSlashes() + "/browse/" + key,
      updatedAt: updated,
      rawJSON: raw)
  }

  func richText(_ value: JSONValue?) -> String {
    guard let value, !value.isNull else { return "" }
    switch format {
    case .adf:
      return ADFConverter.markdown(from: value)
    case .wiki:
      if let text = value.string { return WikiMarkupConverter.markdown(from: text) }
      return ADFConverter.markdown(from: value)
    }
  }

  /// A Jira user: Cloud `accountId`, Data Center `key` (stable) or `name`.
  func user(_ value: JSONValue?) -> TrackerUser? {
    guard let value,
      let id = value["accountId"]?.nonEmptyString ?? value["key"]?.nonEmptyString
        ?? value["name"]?.nonEmptyString
    else { return nil }
    return TrackerUser(
      externalId: id, name: value["displayName"]?.nonEmptyString,
      email: value["emailAddress"]?.nonEmptyString)
  }
}
