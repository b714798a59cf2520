import Foundation
import Templating
import Trackers

/// The `scope` of a tracker request: which repositories (GitHub), projects (GitLab) or teams
/// (Linear) a connection syncs, checked field by field.
enum TrackerScopeInput {
  /// The most sources one tracker syncs: each is listed on every sync.
  static let maximumSources = 50

  /// The member each scoped type needs, what its items look like, and how to check one.
  private struct Sources {
    let member: String
    let shape: String
    let isValid: (String) -> Bool
    let keyPath: WritableKeyPath<TrackerScope, [String]?>
  }

  private static func sources(of type: TrackerType) -> Sources? {
    switch type {
    case .github:
      Sources(
        member: "repositories", shape: "owner/name", isValid: TrackerScope.isRepositoryName,
        keyPath: \.repositories)
    case .gitlab:
      Sources(
        member: "projects", shape: "group/project paths", isValid: TrackerScope.isProjectPath,
        keyPath: \.projects)
    case .linear:
      Sources(
        member: "teams", shape: "team keys such as ENG", isValid: TrackerScope.isTeamKey,
        keyPath: \.teams)
    default: nil
    }
  }

  /// The types whose issues can carry the in-progress label.
  private static let labelled: Set<TrackerType> = [.github, .gitlab]

  static func parse(_ object: JSONObject, type: TrackerType) throws -> TrackerScope {
    guard let sources = sources(of: type) else {
      throw AppError.validation(
        field: "scope", reason: "is only for github, gitlab and linear trackers")
    }
    let allowed = [sources.member] + (labelled.contains(type) ? ["inProgressLabel"] : [])
    if let unknown = object.keys.first(where: { !allowed.contains($0) }) {
      throw AppError.validation(
        field: "scope.\(unknown)", reason: "is not a setting of a \(type) tracker")
    }
    var scope = TrackerScope()
    if let value = object[sources.member] {
      scope[keyPath: sources.keyPath] = try names(value, of: sources)
    }
    if let label = object["inProgressLabel"], label != .null {
      guard let text = label.stringValue, (1...100).contains(text.count) else {
        throw AppError.validation(
          field: "scope.inProgressLabel", reason: "must be a label name of 1 to 100 characters")
      }
      scope.inProgressLabel = text
    }
    return scope
  }

  private static func names(_ value: JSONValue, of sources: Sources) throws -> [String] {
    let field = "scope.\(sources.member)"
    guard let items = value.arrayValue, !items.isEmpty, items.count <= maximumSources else {
      throw AppError.validation(
        field: field, reason: "must list 1 to \(maximumSources) \(sources.shape)")
    }
    var names: [String] = []
    for (index, item) in items.enumerated() {
      guard let name = item.stringValue, sources.isValid(name) else {
        throw AppError.validation(field: "\(field)[\(index)]", reason: "must be \(sources.shape)")
      }
      if !names.contains(name) { names.append(name) }
    }
    return names
  }

  /// A scoped tracker without its sources would sync nothing.
  static func requireComplete(_ tracker: Tracker) throws {
    guard let sources = sources(of: tracker.trackerType),
      tracker.scope[keyPath: sources.keyPath]?.isEmpty ?? true
    else { return }
    throw AppError.validation(
      field: "scope.\(sources.member)",
      reason: "is required for a \(tracker.trackerType) tracker: \(sources.shape)")
  }
}
