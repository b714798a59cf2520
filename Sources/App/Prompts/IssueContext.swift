import Foundation
import Templating

/// The built-in variables of an issue, as templates see them.
enum IssueContext {
  static func variables(of issue: Issue, trackerName: String) -> JSONValue {
    var object: JSONObject = [
      "key": .string(issue.externalKey),
      "title": .string(issue.title),
      "description": .string(issue.descriptionMarkdown),
      "criteria": .string(issue.criteriaMarkdown),
      "status": .string(issue.status),
      "statusCategory": .string(issue.statusCategory),
      "priority": issue.priority.map(JSONValue.string) ?? .null,
      "type": issue.issueType.map(JSONValue.string) ?? .null,
      "labels": .array(issue.labels.map(JSONValue.string)),
    ]
    if issue.assigneeName != nil || issue.assigneeEmail != nil {
      object["assignee"] = .object([
        "name": issue.assigneeName.map(JSONValue.string) ?? .null,
        "email": issue.assigneeEmail.map(JSONValue.string) ?? .null,
      ])
    }
    object["url"] = issue.url.map(JSONValue.string) ?? .null
    object["tracker"] = .string(trackerName)
    return .object(object)
  }
}
