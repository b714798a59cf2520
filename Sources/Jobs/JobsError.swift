import Foundation

/// Errors of the queue's admin operations; the App maps them to HTTP statuses.
public enum JobsError: Error, Equatable, Sendable, CustomStringConvertible {
  /// No job has this id (404).
  case notFound(UUID)
  /// The job's state does not allow the action, e.g. retrying a succeeded job (409).
  case invalidTransition(id: UUID, from: JobState, action: String)
  /// Retrying would make two pending jobs share a unique key (409).
  case uniqueKeyTaken(id: UUID, uniqueKey: String)

  /// Whether the error is a conflict with the job's current state (HTTP 409).
  public var isConflict: Bool {
    if case .notFound = self { return false }
    return true
  }

  public var description: String {
    switch self {
    case .notFound(let id):
      return "job \(id) not found"
    case .invalidTransition(let id, let from, let action):
      return "cannot \(action) job \(id): it is \(from.rawValue)"
    case .uniqueKeyTaken(let id, let key):
      return "cannot retry job \(id): another pending job holds unique key \(key)"
    }
  }
}
