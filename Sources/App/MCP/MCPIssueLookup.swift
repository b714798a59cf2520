import Fluent
import Foundation

/// Finds an issue by its tracker key (`PS-42`), the way a developer names it.
struct MCPIssueLookup: Sendable {
  let database: any Database
  let companyID: UUID

  /// The issue with `key`; `tracker` (a tracker's name or id) settles a key that several
  /// trackers use, and without it such a key is an error that lists them.
  func issue(key rawKey: String, tracker: String?) async throws -> Issue {
    let key = rawKey.trimmingCharacters(in: .whitespaces)
    guard !key.isEmpty else { throw AppError.validation(field: "key", reason: "must not be empty") }
    guard !NULCharacter.isIn(key), !NULCharacter.isIn(tracker ?? "") else {
      throw AppError.validation(field: "key", reason: NULCharacter.reason)
    }
    var candidates = try await Issue.query(on: database)
      .filter(\.$company.$id == companyID).filter(\.$deletedAt == nil)
      .group(.or) { $0.filter(\.$externalKey == key).filter(\.$externalKey == key.uppercased()) }
      .with(\.$tracker).all()
    if let tracker {
      candidates = candidates.filter {
        $0.tracker.id?.lowercasedText == tracker.lowercased()
          || $0.tracker.name.caseInsensitiveCompare(tracker) == .orderedSame
      }
    }
    switch candidates.count {
    case 0:
      throw AppError.notFound(tracker.map { "Issue \(key) in tracker \($0)" } ?? "Issue \(key)")
    case 1:
      return candidates[0]
    default:
      let names = candidates.map {
        "\($0.tracker.name) (\($0.$tracker.id.lowercasedText))"
      }
      .sorted()
      throw AppError(
        .conflict, type: "ambiguous-issue-key", title: "Ambiguous issue key",
        detail:
          "\(key) exists in several trackers: \(names.joined(separator: ", ")). "
          + "Name one with the tracker argument.",
        errors: [.init(field: "tracker", reason: "required: \(key) is in \(names.count) trackers")])
    }
  }
}

extension Issue {
  /// The issue as a developer reads it: heading, facts, description and acceptance criteria.
  func markdown(trackerName: String?) -> String {
    var lines = ["# \(externalKey): \(title)", ""]
    var facts = ["- Status: \(status)"]
    if let trackerName { facts.append("- Tracker: \(trackerName)") }
    if let issueType { facts.append("- Type: \(issueType)") }
    if let priority { facts.append("- Priority: \(priority)") }
    if let assignee = assigneeName ?? assigneeEmail { facts.append("- Assignee: \(assignee)") }
    if !labels.isEmpty { facts.append("- Labels: \(labels.joined(separator: ", "))") }
    if let url { facts.append("- URL: \(url)") }
    lines += facts
    lines += [
      "", "## Description", "",
      descriptionMarkdown.isEmpty ? "_No description._" : descriptionMarkdown,
    ]
    if !criteriaMarkdown.isEmpty {
      lines += ["", "## Acceptance criteria", "", criteriaMarkdown]
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
