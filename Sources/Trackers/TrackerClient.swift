import Foundation

/// A client for one issue tracker connection (one row of `trackers`).
///
/// Implementations are value types over AsyncHTTPClient; they hold no mutable state that the
/// caller has to protect, so one client may be shared by concurrent tasks.
public protocol TrackerClient: Sendable {
  /// The tracker type this client speaks (`jira-cloud`, `jira-dc`, `teamwork`).
  var type: TrackerType { get }

  /// Checks the credentials with one cheap authenticated call.
  ///
  /// - Returns: who the tracker says we are (shown by `POST /trackers/:id/test`).
  /// - Throws: ``TrackerError/authenticationFailed(_:)`` when the credentials are refused.
  @discardableResult
  func authenticate() async throws -> TrackerAccount

  /// Streams the issues changed since `updatedSince`, oldest first, one page per element.
  ///
  /// Pass the stored sync cursor (the latest external updated time committed) or `nil` for a
  /// full backfill; the client subtracts its overlap window itself. Pages are fetched lazily,
  /// one request per `next()`, so a sync can commit each page before asking for the next.
  func fetchIssues(updatedSince: Date?) -> TrackerPages

  /// Fetches one issue by its external key (`SHOP-142` or a Teamwork task id).
  ///
  /// - Throws: ``TrackerError/notFound(_:)`` when it does not exist or is not visible.
  func fetchIssue(externalKey: String) async throws -> TrackerIssue
}

/// The identity behind a tracker's credentials, as reported by the tracker.
public struct TrackerAccount: Sendable, Equatable {
  /// The tracker's id for the user (account id, user key or numeric id).
  public var externalId: String?
  /// The display name.
  public var name: String?
  /// The e-mail address, when the tracker shows it.
  public var email: String?
  /// The user's IANA time zone, when the tracker reports one.
  public var timeZone: String?

  /// Creates an account description.
  public init(
    externalId: String? = nil, name: String? = nil, email: String? = nil, timeZone: String? = nil
  ) {
    self.externalId = externalId
    self.name = name
    self.email = email
    self.timeZone = timeZone
  }
}
