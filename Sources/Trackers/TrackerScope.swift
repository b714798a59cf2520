import Foundation

/// Which part of a tracker's site a connection syncs, for the trackers whose site holds many:
/// GitHub repositories (`owner/name`), GitLab projects (`group/project`), Linear teams (`ENG`).
public struct TrackerScope: Sendable, Equatable, Codable {
  public var repositories: [String]?
  public var projects: [String]?
  public var teams: [String]?
  /// GitHub, GitLab: the label that marks an assigned open issue as in progress.
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
    isPath(name, segments: 2...2)
  }

  /// GitLab's `group/project` or `group/subgroup/…/project` (at most 20 levels deep).
  public static func isProjectPath(_ path: String) -> Bool {
    isPath(path, segments: 2...21)
  }

  /// A Linear team key as issue identifiers show it (`ENG` in `ENG-123`): upper-case letters,
  /// digits and `_`, at most 20.
  public static func isTeamKey(_ key: String) -> Bool {
    (1...20).contains(key.count)
      && key.unicodeScalars.allSatisfy {
        ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
      }
  }

  /// The team key of a Linear identifier (`ENG` for `ENG-123`); nil when it is not one.
  public static func linearTeam(of identifier: String) -> String? {
    guard let dash = identifier.lastIndex(of: "-"),
      let number = Int(identifier[identifier.index(after: dash)...]), number > 0
    else { return nil }
    let team = String(identifier[..<dash])
    return isTeamKey(team) ? team : nil
  }

  private static func isPath(_ path: String, segments: ClosedRange<Int>) -> Bool {
    let parts = path.split(separator: "/", omittingEmptySubsequences: false)
    return segments.contains(parts.count)
      && parts.allSatisfy { part in
        !part.isEmpty && part.count <= 100 && part != "." && part != ".."
          && part.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) && $0.isASCII
              || "-_.".unicodeScalars.contains($0)
          }
      }
  }
}
