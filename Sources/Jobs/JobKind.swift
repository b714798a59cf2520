/// The name of a kind of job; the registry maps each kind to its handler.
public struct JobKind: RawRepresentable, Hashable, Sendable, Codable,
  ExpressibleByStringLiteral, CustomStringConvertible
{
  /// The name stored in the `kind` column.
  public let rawValue: String

  /// Wraps a kind name.
  public init(rawValue: String) { self.rawValue = rawValue }

  /// Wraps a kind name.
  public init(_ rawValue: String) { self.rawValue = rawValue }

  /// Wraps a kind name written as a literal.
  public init(stringLiteral value: String) { self.rawValue = value }

  public var description: String { rawValue }

  /// Pulls a Jira tracker's changed issues.
  public static let syncJiraIssues: JobKind = "sync-jira-issues"
  /// Pulls a Teamwork tracker's changed issues.
  public static let syncTeamworkIssues: JobKind = "sync-teamwork-issues"
  /// Applies one received tracker webhook.
  public static let processWebhook: JobKind = "process-webhook"
  /// Deletes outputs past their retention.
  public static let cleanupOldOutputs: JobKind = "cleanup-old-outputs"
  /// Deletes audit rows past their retention (`AUDIT_RETENTION_DAYS`).
  public static let cleanupAuditEvents: JobKind = "cleanup-audit-events"
  /// Runs ``TestJobHandler``: sleeps and fails as its payload says (tests and smoke checks).
  public static let test: JobKind = "test"
}
