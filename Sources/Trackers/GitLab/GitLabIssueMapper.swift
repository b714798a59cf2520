import Foundation

/// A GitLab issue as a ``TrackerIssue``: key `group/project#12` (the iid), state `opened` →
/// `todo` (or `in_progress` when assigned and labelled with the scope's in-progress label),
/// `closed` → `done`; an issue moved to another project (`moved_to_id`) is deleted here. The
/// description is GitLab Markdown with its relative upload links made absolute; its
/// "Acceptance criteria" section becomes the criteria, else its task list (the checklist GitLab
/// shows). GitLab shows no assignee e-mail.
struct GitLabIssueMapper: Sendable {
  let inProgressLabel: String?

  func map(_ item: JSONValue, project: String, raw: Data) throws -> TrackerIssue {
    guard let iid = item["iid"]?.intValue, let title = item["title"]?.string,
      let updated = item["updated_at"]?.string.flatMap(Timestamps.parse)
    else {
      throw TrackerError.badResponse("GitLab issue without iid, title or updated_at")
    }
    let labels = (item["labels"]?.array ?? []).compactMap { $0.string ?? $0["name"]?.string }
    let assignees = (item["assignees"]?.array ?? [item["assignee"]].compactMap { $0 })
      .compactMap { user -> TrackerUser? in
        guard let username = user["username"]?.string else { return nil }
        return TrackerUser(
          externalId: user["id"]?.idString ?? username, name: user["name"]?.string ?? username,
          email: nil)
      }
    let closed = item["state"]?.string == "closed"
    let category = OpenClosedStatus.category(
      closed: closed, labels: labels, assigned: !assignees.isEmpty,
      inProgressLabel: inProgressLabel)
    let browseURL = item["web_url"]?.string ?? ""
    let body = Self.absoluteUploads(item["description"]?.string ?? "", issueURL: browseURL)
    let key = ScopedIssueKey(source: project, number: iid).key
    let moved = item["moved_to_id"].map { $0 != .null } ?? false
    return TrackerIssue(
      externalId: item["id"]?.idString ?? key, key: key, title: title,
      descriptionMarkdown: body,
      criteriaMarkdown: CriteriaSection.extract(from: body) ?? CriteriaSection.taskItems(in: body),
      statusName: closed ? "closed" : "opened", statusCategory: category, priority: nil,
      type: item["issue_type"]?.string, labels: labels, assignees: assignees,
      browseURL: browseURL, updatedAt: updated, isDeleted: moved, rawJSON: raw)
  }

  /// The REST API keeps upload links relative to the project (`](/uploads/…)`); the project's
  /// URL is the issue's up to `/-/issues/`.
  static func absoluteUploads(_ markdown: String, issueURL: String) -> String {
    guard markdown.contains("](/uploads/"), let cut = issueURL.range(of: "/-/issues/") else {
      return markdown
    }
    let projectURL = issueURL[..<cut.lowerBound]
    return markdown.replacingOccurrences(of: "](/uploads/", with: "](\(projectURL)/uploads/")
  }
}
