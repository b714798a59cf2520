import Foundation
import NIOHTTP1

/// GitHub Issues over the REST API (github.com at `https://api.github.com`, GitHub Enterprise
/// Server at `https://HOST/api/v3`): the scope's repositories one after the other, each listed
/// with `since` in ascending order of update and paged through the `Link` header; pull
/// requests, which the issues API lists too, are skipped.
public struct GitHubClient: TrackerClient {
  /// `github`.
  public var type: TrackerType { .github }

  private let transport: HTTPTransport
  private let apiURL: String
  private let repositories: [String]
  private let mapper: GitHubIssueMapper
  private let pageSize: Int
  private let overlap: TimeInterval

  /// The headers GitHub asks every REST client to send.
  static let headers = [
    ("Accept", "application/vnd.github+json"), ("X-GitHub-Api-Version", "2022-11-28"),
  ]

  /// Builds the client: a personal access token (fine-grained or classic) and at least one
  /// `owner/name` repository.
  public init(configuration: TrackerConfiguration) throws {
    guard case .pat(let token) = configuration.credentials else {
      throw TrackerError.invalidConfiguration("github needs a personal access token (pat)")
    }
    let repositories = configuration.scope.repositories ?? []
    guard !repositories.isEmpty, repositories.allSatisfy(TrackerScope.isRepositoryName) else {
      throw TrackerError.invalidConfiguration(
        "github needs scope.repositories: one or more owner/name")
    }
    transport = HTTPTransport(configuration: configuration, authorization: .bearer(token))
    apiURL = configuration.siteURL
    self.repositories = repositories
    mapper = GitHubIssueMapper(inProgressLabel: configuration.scope.inProgressLabel)
    pageSize = min(100, max(1, configuration.pageSize))
    overlap = configuration.overlapWindow
  }

  /// Calls `GET /user`: who the token belongs to.
  @discardableResult
  public func authenticate() async throws -> TrackerAccount {
    let (user, _) = try await get(apiURL + "/user")
    return TrackerAccount(
      externalId: user["id"]?.idString, name: user["name"]?.string ?? user["login"]?.string,
      email: user["email"]?.string, timeZone: nil)
  }

  /// Each repository's issues updated since the cursor (less the overlap), oldest first. The
  /// page state is the repository's index and the next page's URL; only the run's last page
  /// moves the cursor, to the latest update the run saw (`TrackerPage.cursor`).
  public func fetchIssues(updatedSince: Date?) -> TrackerPages {
    let since = updatedSince.map { Timestamps.rfc3339($0.addingTimeInterval(-overlap)) }
    let client = self
    return LinkPagedListing(
      transport: transport, headers: Self.headers, sources: repositories,
      firstPage: { client.firstPage(of: $0, since: since) },
      map: { item, raw, repository in
        item["pull_request"] == nil
          ? try client.mapper.map(item, repository: repository, raw: raw) : nil
      }
    ).pages()
  }

  /// Calls `GET /repos/{owner}/{repo}/issues/{number}` for a key `owner/repo#12`. A deleted
  /// issue (410), one transferred elsewhere (301), a missing one (404) and a pull request are
  /// all `notFound`, naming the key.
  public func fetchIssue(externalKey: String) async throws -> TrackerIssue {
    guard let key = ScopedIssueKey(externalKey), repositories.contains(key.source) else {
      throw TrackerError.notFound("GitHub issue \(externalKey): not in this tracker's repositories")
    }
    let url = apiURL + "/repos/\(key.source)/issues/\(key.number)"
    let item: JSONValue
    let raw: Data
    do {
      (item, raw) = try await get(url)
    } catch TrackerError.notFound(_) {
      throw TrackerError.notFound("GitHub issue \(externalKey) (404)")
    } catch TrackerError.rejected(let status, _) where status == 410 || status == 301 {
      throw TrackerError.notFound(
        "GitHub issue \(externalKey) (\(status == 410 ? "deleted" : "transferred"))")
    }
    guard item["pull_request"] == nil else {
      throw TrackerError.notFound("GitHub issue \(externalKey): a pull request")
    }
    return try mapper.map(item, repository: key.source, raw: raw)
  }

  private func firstPage(of repository: String, since: String?) -> String {
    var query = [
      ("state", "all"), ("sort", "updated"), ("direction", "asc"), ("per_page", String(pageSize)),
    ]
    if let since { query.append(("since", since)) }
    return URLBuilding.url(apiURL, "/repos/\(repository)/issues", query: query)
  }

  private func get(_ url: String) async throws -> (JSONValue, Data) {
    try await transport.json(.GET, url, headers: Self.headers)
  }
}
