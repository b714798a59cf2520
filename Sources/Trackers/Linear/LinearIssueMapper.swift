import Foundation

/// A Linear issue as a ``TrackerIssue``: key = its identifier (`ENG-123`), the workflow state's
/// type as category (`started` → in progress, `completed` and `canceled` → done, the rest to
/// do), the priority label unless there is none, labels, the assignee, the Markdown
/// description and its "Acceptance criteria" section. An issue in the trash is deleted.
enum LinearIssueMapper {
  static func map(_ item: JSONValue, raw: Data) throws -> TrackerIssue {
    guard let identifier = item["identifier"]?.string, let title = item["title"]?.string,
      let updated = item["updatedAt"]?.string.flatMap(Timestamps.parse)
    else {
      throw TrackerError.badResponse("Linear issue without identifier, title or updatedAt")
    }
    let state = item["state"]
    let category: StatusCategory =
      switch state?["type"]?.string {
      case "started": .inProgress
      case "completed", "canceled": .done
      default: .todo
      }
    let assignees = [item["assignee"]].compactMap { user -> TrackerUser? in
      guard let user, let id = user["id"]?.string else { return nil }
      return TrackerUser(
        externalId: id, name: user["name"]?.string ?? user["displayName"]?.string,
        email: user["email"]?.string)
    }
    let labels = (item["labels"]?["nodes"]?.array ?? []).compactMap { $0["name"]?.string }
    let body = item["description"]?.string ?? ""
    let priority = item["priority"]?.number == 0 ? nil : item["priorityLabel"]?.string
    return TrackerIssue(
      externalId: item["id"]?.string ?? identifier, key: identifier, title: title,
      descriptionMarkdown: body, criteriaMarkdown: CriteriaSection.extract(from: body),
      statusName: state?["name"]?.string ?? "", statusCategory: category, priority: priority,
      type: nil, labels: labels, assignees: assignees, browseURL: item["url"]?.string ?? "",
      updatedAt: updated, isDeleted: item["trashed"]?.bool == true, rawJSON: raw)
  }

}
