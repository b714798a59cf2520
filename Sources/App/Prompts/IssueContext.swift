import Foundation
import Templating

/// The built-in variables of an issue, as templates see them.
enum IssueContext {
  /// The issue columns the variables come from.
  struct Fields: Sendable {
    let key: String
    let title: String
    let description: String
    let criteria: String
    let status: String
    let statusCategory: String
    let priority: String?
    let type: String?
    let labels: [String]
    let assigneeName: String?
    let assigneeEmail: String?
    let url: String?
  }

  static func variables(of issue: Fields, trackerName: String) -> JSONValue {
    var object: JSONObject = [
      "key": .string(issue.key),
      "title": .string(issue.title),
      "description": .string(issue.description),
      "criteria": .string(issue.criteria),
      "status": .string(issue.status),
      "statusCategory": .string(issue.statusCategory),
      "priority": issue.priority.map(JSONValue.string) ?? .null,
      "type": issue.type.map(JSONValue.string) ?? .null,
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
