import Foundation
import NIOHTTP1

/// GitLab Issues over the REST API v4 (gitlab.com or a self-managed instance): the scope's
/// projects one after the other, each listed with `updated_after` in ascending order of update,
/// keyset-paginated and followed through the `Link` header (an instance that falls back to
/// offset pages sends `Link` too).
public struct GitLabClient: TrackerClient {
  /// `gitlab`.
  public var type: TrackerType { .gitlab }

  private let transport: HTTPTransport
  private let apiURL: String
  private let projects: [String]
  private let mapper: GitLabIssueMapper
  private let pageSize: Int
  private let overlap: TimeInterval

  /// Builds the client: an access token (personal, project or group, with `read_api`), sent as
  /// `PRIVATE-TOKEN`, and at least one project path. The base URL is the instance's
  /// (`https://gitlab.com`); one that already ends in `/api/v4` is taken as it is.
  public init(configuration: TrackerConfiguration) throws {
    guard case .pat(let token) = configuration.credentials else {
      throw TrackerError.invalidConfiguration("gitlab needs an access token (pat)")
    }
    let projects = configuration.scope.projects ?? []
    guard !projects.isEmpty, projects.allSatisfy(TrackerScope.isProjectPath) else {
      throw TrackerError.invalidConfiguration(
        "gitlab needs scope.projects: one or more group/project paths")
    }
    transport = HTTPTransport(
      configuration: configuration, authorization: .header(name: "PRIVATE-TOKEN", value: token))
    let site = configuration.siteURL
    apiURL = site.hasSuffix("/api/v4") ? site : site + "/api/v4"
    self.projects = projects
    mapper = GitLabIssueMapper(inProgressLabel: configuration.scope.inProgressLabel)
    pageSize = min(100, max(1, configuration.pageSize))
    overlap = configuration.overlapWindow
  }

  /// Calls `GET /user`: who the token belongs to.
  @discardableResult
  public func authenticate() async throws -> TrackerAccount {
    let (user, _) = try await transport.json(.GET, apiURL + "/user")
    return TrackerAccount(
      externalId: user["id"]?.idString, name: user["name"]?.string ?? user["username"]?.string,
      email: user["email"]?.string ?? user["public_email"]?.string, timeZone: nil)
  }

  /// Each project's issues updated since the cursor (less the overlap), oldest first; only the
  /// run's last page moves the cursor (``LinkPagedListing``).
  public func fetchIssues(updatedSince: Date?) -> TrackerPages {
    let since = updatedSince.map { Timestamps.rfc3339($0.addingTimeInterval(-overlap)) }
    let client = self
    return LinkPagedListing(
      transport: transport, headers: [], sources: projects,
      firstPage: { client.firstPage(of: $0, since: since) },
      map: { item, raw, project in try client.mapper.map(item, project: project, raw: raw) }
    ).pages()
  }

  /// Calls `GET /projects/:path/issues/:iid` for a key `group/project#12`. A missing or
  /// deleted issue (404) and one moved to another project (closed with `moved_to_id`) are
  /// `notFound`, naming the key.
  public func fetchIssue(externalKey: String) async throws -> TrackerIssue {
    guard let key = ScopedIssueKey(externalKey), projects.contains(key.source) else {
      throw TrackerError.notFound("GitLab issue \(externalKey): not in this tracker's projects")
    }
    let url = apiURL + "/projects/\(Self.encoded(key.source))/issues/\(key.number)"
    let item: JSONValue
    let raw: Data
    do {
      (item, raw) = try await transport.json(.GET, url)
    } catch TrackerError.notFound(_) {
      throw TrackerError.notFound("GitLab issue \(externalKey) (404)")
    }
    let issue = try mapper.map(item, project: key.source, raw: raw)
    guard !issue.isDeleted else {
      throw TrackerError.notFound("GitLab issue \(externalKey) (moved to another project)")
    }
    return issue
  }

  private func firstPage(of project: String, since: String?) -> String {
    var query = [
      ("pagination", "keyset"), ("order_by", "updated_at"), ("sort", "asc"), ("state", "all"),
      ("scope", "all"), ("per_page", String(pageSize)),
    ]
    if let since { query.append(("updated_after", since)) }
    return URLBuilding.url(apiURL, "/projects/\(Self.encoded(project))/issues", query: query)
  }

  /// A project path as GitLab wants it in a URL: one segment, its slashes as `%2F`.
  static func encoded(_ project: String) -> String {
    URLBuilding.encode(project)
  }
}
