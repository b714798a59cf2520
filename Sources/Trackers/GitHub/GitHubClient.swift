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
    return TrackerPages { state in
      var position = GitHubPagePosition(repository: 0, url: nil, latest: nil)
      if case .token(let token) = state, let decoded = GitHubPagePosition(token) {
        position = decoded
      }
      let repository = client.repositories[position.repository]
      let url = position.url ?? client.firstPage(of: repository, since: since)
      let result = try await client.transport.send(.GET, url, headers: Self.headers)
      let items = try HTTPTransport.parsed(result.body, method: .GET, url: url).array ?? []
      let raws = try JSONSlicer.arrayElements(in: result.body)
      guard raws.count == items.count else {
        throw TrackerError.badResponse("issue count mismatch while slicing the response")
      }
      let issues = try zip(items, raws).compactMap { item, raw in
        item["pull_request"] == nil
          ? try client.mapper.map(item, repository: repository, raw: raw) : nil
      }
      let latest =
        ([position.latest] + items.map { $0["updated_at"]?.string.flatMap(Timestamps.parse) })
        .compactMap { $0 }.max()
      var next: GitHubPagePosition?
      if let link = GitHubLinks.next(result.headers.first(name: "Link")) {
        next = GitHubPagePosition(repository: position.repository, url: link, latest: latest)
      } else if position.repository + 1 < client.repositories.count {
        next = GitHubPagePosition(repository: position.repository + 1, url: nil, latest: latest)
      }
      let isLast = next == nil
      return (
        TrackerPage(issues: issues, number: 0, isLast: isLast, cursor: isLast ? latest : nil),
        next.map { .token($0.token) }
      )
    }
  }

  /// Calls `GET /repos/{owner}/{repo}/issues/{number}` for a key `owner/repo#12`. A deleted
  /// issue (410), one transferred elsewhere (301), a missing one (404) and a pull request are
  /// all `notFound`, naming the key.
  public func fetchIssue(externalKey: String) async throws -> TrackerIssue {
    guard let key = GitHubIssueKey(externalKey), repositories.contains(key.repository) else {
      throw TrackerError.notFound("GitHub issue \(externalKey): not in this tracker's repositories")
    }
    let url = apiURL + "/repos/\(key.repository)/issues/\(key.number)"
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
    return try mapper.map(item, repository: key.repository, raw: raw)
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

/// Where a GitHub listing stands: which repository, the next page's URL (nil for its first),
/// and the latest update seen so far in the run.
struct GitHubPagePosition: Equatable {
  var repository: Int
  var url: String?
  var latest: Date?

  init(repository: Int, url: String?, latest: Date?) {
    self.repository = repository
    self.url = url
    self.latest = latest
  }

  /// `index latestEpoch url`, the URL last since it may hold anything but spaces.
  var token: String {
    "\(repository) \(latest.map { String($0.timeIntervalSince1970) } ?? "-") \(url ?? "-")"
  }

  init?(_ token: String) {
    let parts = token.split(separator: " ", maxSplits: 2).map(String.init)
    guard parts.count == 3, let repository = Int(parts[0]) else { return nil }
    self.repository = repository
    latest = Double(parts[1]).map(Date.init(timeIntervalSince1970:))
    url = parts[2] == "-" ? nil : parts[2]
  }
}

/// `owner/repo#12`, the key Promptsmith gives a GitHub issue.
struct GitHubIssueKey: Equatable {
  let repository: String
  let number: Int

  init?(_ key: String) {
    guard let hash = key.lastIndex(of: "#"), let number = Int(key[key.index(after: hash)...]),
      number > 0
    else { return nil }
    repository = String(key[..<hash])
    guard TrackerScope.isRepositoryName(repository) else { return nil }
    self.number = number
  }

  init(repository: String, number: Int) {
    self.repository = repository
    self.number = number
  }

  var key: String { "\(repository)#\(number)" }
}

/// RFC 8288 `Link` headers as GitHub sends them: `<url>; rel="next", <url>; rel="last"`.
enum GitHubLinks {
  static func next(_ header: String?) -> String? {
    guard let header else { return nil }
    for part in header.split(separator: ",") {
      let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
      guard let target = pieces.first, target.hasPrefix("<"), target.hasSuffix(">"),
        pieces.dropFirst().contains(where: { $0 == "rel=\"next\"" || $0 == "rel=next" })
      else { continue }
      return String(target.dropFirst().dropLast())
    }
    return nil
  }
}
