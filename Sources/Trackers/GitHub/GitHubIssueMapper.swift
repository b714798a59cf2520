import Foundation

/// A GitHub issue as a ``TrackerIssue``: key `owner/repo#12`, state open → `todo` (or
/// `in_progress` when assigned and labelled with the scope's in-progress label), closed →
/// `done`; labels, assignees (the e-mail when the user made it public, else the login), the
/// body as it is (GitHub writes Markdown) and its "Acceptance criteria" section as criteria.
struct GitHubIssueMapper: Sendable {
  let inProgressLabel: String?

  func map(_ item: JSONValue, repository: String, raw: Data) throws -> TrackerIssue {
    guard let number = item["number"]?.intValue, let title = item["title"]?.string,
      let updated = item["updated_at"]?.string.flatMap(Timestamps.parse)
    else {
      throw TrackerError.badResponse("GitHub issue without number, title or updated_at")
    }
    let labels = (item["labels"]?.array ?? []).compactMap { $0["name"]?.string ?? $0.string }
    let assignees = (item["assignees"]?.array ?? [item["assignee"]].compactMap { $0 })
      .compactMap { user -> TrackerUser? in
        guard let login = user["login"]?.string else { return nil }
        return TrackerUser(
          externalId: user["id"]?.idString ?? login, name: user["name"]?.string ?? login,
          email: user["email"]?.string)
      }
    let closed = item["state"]?.string == "closed"
    let category = OpenClosedStatus.category(
      closed: closed, labels: labels, assigned: !assignees.isEmpty,
      inProgressLabel: inProgressLabel)
    let body = item["body"]?.string ?? ""
    let key = ScopedIssueKey(source: repository, number: number).key
    return TrackerIssue(
      externalId: item["id"]?.idString ?? key, key: key, title: title,
      descriptionMarkdown: body, criteriaMarkdown: CriteriaSection.extract(from: body),
      statusName: closed ? "closed" : "open", statusCategory: category, priority: nil,
      type: item["type"]?["name"]?.string, labels: labels, assignees: assignees,
      browseURL: item["html_url"]?.string ?? "", updatedAt: updated, rawJSON: raw)
  }
}
