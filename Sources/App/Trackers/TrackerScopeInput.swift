import Foundation
import Templating
import Trackers

/// The `scope` of a tracker request: which repositories (GitHub) a connection syncs, checked
/// field by field.
enum TrackerScopeInput {
  /// The most repositories one tracker syncs: each is listed on every sync.
  static let maximumRepositories = 50

  static func parse(_ object: JSONObject, type: TrackerType) throws -> TrackerScope {
    guard type == .github else {
      throw AppError.validation(field: "scope", reason: "is only for github trackers")
    }
    var scope = TrackerScope()
    if let value = object["repositories"] {
      guard let items = value.arrayValue, !items.isEmpty,
        items.count <= maximumRepositories
      else {
        throw AppError.validation(
          field: "scope.repositories",
          reason: "must list 1 to \(maximumRepositories) repositories as owner/name")
      }
      var names: [String] = []
      for (index, item) in items.enumerated() {
        guard let name = item.stringValue, TrackerScope.isRepositoryName(name) else {
          throw AppError.validation(
            field: "scope.repositories[\(index)]", reason: "must be owner/name")
        }
        if !names.contains(name) { names.append(name) }
      }
      scope.repositories = names
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

  /// A GitHub tracker without repositories would sync nothing.
  static func requireComplete(_ tracker: Tracker) throws {
    if tracker.trackerType == .github, tracker.scope.repositories?.isEmpty ?? true {
      throw AppError.validation(
        field: "scope.repositories", reason: "is required for a github tracker: owner/name")
    }
  }
}
