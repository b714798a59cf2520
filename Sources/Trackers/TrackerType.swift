/// A tracker type key, as stored in `trackers.type` and used by ``TrackerRegistry``.
public struct TrackerType: RawRepresentable, Hashable, Sendable, Codable,
  ExpressibleByStringLiteral, CustomStringConvertible
{
  /// The key, for example `jira-cloud`.
  public var rawValue: String

  /// Creates a type from its key.
  public init(rawValue: String) {
    self.rawValue = rawValue
  }

  /// Creates a type from a string literal.
  public init(stringLiteral value: String) {
    self.rawValue = value
  }

  /// The key.
  public var description: String { rawValue }

  /// Jira Cloud, REST v3, OAuth 2.0 (3LO) or API token.
  public static let jiraCloud: TrackerType = "jira-cloud"
  /// Jira Data Center / Server, REST v2, PAT or Basic.
  public static let jiraDataCenter: TrackerType = "jira-dc"
  /// Teamwork.com Projects API v3.
  public static let teamwork: TrackerType = "teamwork"
  /// GitHub Issues, REST API (github.com or GitHub Enterprise Server), one or more repositories.
  public static let github: TrackerType = "github"
  /// GitLab Issues, REST API v4 (gitlab.com or self-managed), one or more projects.
  public static let gitlab: TrackerType = "gitlab"
  /// Linear, GraphQL API, one or more teams.
  public static let linear: TrackerType = "linear"
}
