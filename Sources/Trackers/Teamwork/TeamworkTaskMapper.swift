import Foundation

/// Maps a Teamwork Projects v3 task plus the response's `included` side-loads to a
/// ``TrackerIssue``.
struct TeamworkTaskMapper: Sendable {
  var siteURL: String

  func map(_ task: JSONValue, included: JSONValue?, raw: Data) throws -> TrackerIssue {
    guard let id = task["id"]?.idString else {
      throw TrackerError.badResponse("task without id")
    }
    guard let updatedText = task["updatedAt"]?.string ?? task["createdAt"]?.string,
      let updated = Timestamps.parse(updatedText)
    else {
      throw TrackerError.badResponse("task \(id) without a parsable 'updatedAt'")
    }
    let description = RichText.teamworkMarkdown(
      task["description"]?.string, contentType: task["descriptionContentType"]?.string)
    let status = task["status"]?.string ?? "new"
    let priority = task["priority"]?.nonEmptyString.flatMap { $0 == "none" ? nil : $0 }
    let tags = (task["tags"]?.array ?? []).compactMap { tag -> String? in
      guard let tagId = tag["id"]?.idString ?? tag.idString else { return nil }
      return included?["tags"]?[tagId]?["name"]?.string
    }
    return TrackerIssue(
      externalId: id,
      key: id,
      title: task["name"]?.string ?? task["content"]?.string ?? "",
      descriptionMarkdown: description,
      criteriaMarkdown: CriteriaSection.extract(from: description),
      statusName: status,
      statusCategory: Self.category(status: status, progress: task["progress"]?.number),
      priority: priority,
      type: "Task",
      labels: tags,
      assignees: assigneeIds(task).map { user(id: $0, included: included) },
      browseURL: siteURL.trimmingTrailingSlashes() + "/app/tasks/" + id,
      updatedAt: updated,
      isDeleted: status == "deleted" || !(task["deletedAt"]?.isNull ?? true),
      rawJSON: raw)
  }

  /// `new`/`reopened` → todo (in progress once progress > 0), `completed`/`deleted` → done.
  static func category(status: String, progress: Double?) -> StatusCategory {
    switch status.lowercased() {
    case "completed", "complete", "done", "deleted": return .done
    default: return (progress ?? 0) > 0 ? .inProgress : .todo
    }
  }

  /// Assigned user ids, from `assignees` (type `users` only), else `assigneeUsers`, else
  /// `assigneeUserIds` (FACTS §6); missing or null means nobody.
  func assigneeIds(_ task: JSONValue) -> [String] {
    var ids: [String] = []
    if let assignees = task["assignees"]?.array, !assignees.isEmpty {
      ids = assignees.filter { ($0["type"]?.string ?? "users") == "users" }
        .compactMap { $0["id"]?.idString }
    } else if let users = task["assigneeUsers"]?.array, !users.isEmpty {
      ids = users.compactMap { $0["id"]?.idString ?? $0.idString }
    } else if let userIds = task["assigneeUserIds"]?.array {
      ids = userIds.compactMap(\.idString)
    } else if let userIds = task["assigneeUserIds"]?.string {
      ids = userIds.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }
    var seen = Set<String>()
    return ids.filter { seen.insert($0).inserted }
  }

  private func user(id: String, included: JSONValue?) -> TrackerUser {
    let person = included?["users"]?[id] ?? included?["people"]?[id]
    let name = [person?["firstName"]?.string, person?["lastName"]?.string]
      .compactMap { $0 }.joined(separator: " ").trimmingCharacters(in: .whitespaces)
    return TrackerUser(
      externalId: id, name: name.isEmpty ? nil : name,
      email: person?["email"]?.nonEmptyString ?? person?["emailAddress"]?.nonEmptyString)
  }
}
