import Foundation

/// Which part of a tracker's site a connection syncs, for the trackers whose site holds many:
/// GitHub repositories (`owner/name`), GitLab projects (`group/project`), Linear teams (`ENG`).
public struct TrackerScope: Sendable, Equatable, Codable {
  public var repositories: [String]?
  public var projects: [String]?
  public var teams: [String]?
  /// GitHub: the label that marks an assigned open issue as in progress.
  public var inProgressLabel: String?

  public init(
    repositories: [String]? = nil, projects: [String]? = nil, teams: [String]? = nil,
    inProgressLabel: String? = nil
  ) {
    self.repositories = repositories
    self.projects = projects
    self.teams = teams
    self.inProgressLabel = inProgressLabel
  }

  /// GitHub's `owner/name`: letters, digits, `-`, `_` and `.`, one slash.
  public static func isRepositoryName(_ name: String) -> Bool {
    let parts = name.split(separator: "/", omittingEmptySubsequences: false)
    return parts.count == 2
      && parts.allSatisfy { part in
        !part.isEmpty && part.count <= 100 && part != "." && part != ".."
          && part.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) && $0.isASCII
              || "-_.".unicodeScalars.contains($0)
          }
      }
  }
}
