import Foundation

/// Teamwork.com Projects API v3 tasks: `updatedAfter` deltas, `page`/`pageSize` paging on
/// `meta.page.hasMore`, `include=users,tags` side-loads, API key as the Basic user name or a
/// bearer token.
public struct TeamworkClient: TrackerClient {
  /// `teamwork`.
  public var type: TrackerType { .teamwork }

  private let transport: HTTPTransport
  private let siteURL: String
  private let pageSize: Int
  private let overlap: TimeInterval

  /// The side-loads requested with every task list.
  static let include = "users,tags,projects,tasklists"

  /// Builds the client (`https://acme.teamwork.com` or an EU site as base URL).
  public init(configuration: TrackerConfiguration) throws {
    let authorization: HTTPAuthorization
    switch configuration.credentials {
    case .apiKey(let key):
      // The API key is the user name; the password is ignored ("X" as in Teamwork's docs).
      authorization = .basic(key, "X")
    case .pat(let token):
      authorization = .bearer(token)
    case .oauth2(_, let provider):
      authorization = .oauth(provider)
    case .basic(let username, let password):
      authorization = .basic(username, password)
    case .apiToken:
      throw TrackerError.invalidConfiguration("teamwork needs an apiKey or bearer token")
    }
    transport = HTTPTransport(configuration: configuration, authorization: authorization)
    siteURL = configuration.siteURL
    pageSize = min(500, max(1, configuration.pageSize))
    overlap = configuration.overlapWindow
  }

  /// Calls `GET /me.json` (the person behind the key).
  @discardableResult
  public func authenticate() async throws -> TrackerAccount {
    let (json, _) = try await transport.json(.GET, siteURL + "/me.json")
    let person = json["person"] ?? json
    let name = [
      person["first-name"]?.string ?? person["firstName"]?.string,
      person["last-name"]?.string ?? person["lastName"]?.string,
    ]
    .compactMap { $0 }.joined(separator: " ")
    return TrackerAccount(
      externalId: person["id"]?.idString,
      name: name.isEmpty ? nil : name,
      email: person["email-address"]?.string ?? person["email"]?.string,
      timeZone: nil)
  }

  /// Pages through `GET /projects/api/v3/tasks.json` ordered by `updatedAt` ascending,
  /// completed tasks included, while `meta.page.hasMore` is true.
  public func fetchIssues(updatedSince: Date?) -> TrackerPages {
    let transport = self.transport
    let mapper = TeamworkTaskMapper(siteURL: siteURL)
    var query: [(String, String)] = []
    if let updatedSince {
      query.append(("updatedAfter", Timestamps.rfc3339(updatedSince.addingTimeInterval(-overlap))))
    }
    query += [
      ("includeCompletedTasks", "true"), ("showCompletedLists", "true"),
      ("include", Self.include), ("orderBy", "updatedat"), ("orderMode", "asc"),
      ("skipCounts", "true"), ("pageSize", String(pageSize)),
    ]
    let baseQuery = query
    let siteURL = self.siteURL
    return TrackerPages { state in
      var page = 1
      if case .page(let number) = state { page = number }
      let url = URLBuilding.url(
        siteURL, "/projects/api/v3/tasks.json", query: baseQuery + [("page", String(page))])
      let (json, raw) = try await transport.json(.GET, url)
      let tasks = json["tasks"]?.array ?? []
      let raws = try JSONSlicer.arrayElements(ofMember: "tasks", in: raw)
      guard raws.count == tasks.count else {
        throw TrackerError.badResponse("task count mismatch while slicing the response")
      }
      let issues = try zip(tasks, raws).map {
        try mapper.map($0, included: json["included"], raw: $1)
      }
      let hasMore = json["meta"]?["page"]?["hasMore"]?.bool ?? false
      let isLast = !hasMore || tasks.isEmpty
      return (
        TrackerPage(issues: issues, number: 0, isLast: isLast), isLast ? nil : .page(page + 1)
      )
    }
  }

  /// Calls `GET /projects/api/v3/tasks/{id}.json` with the same side-loads.
  public func fetchIssue(externalKey: String) async throws -> TrackerIssue {
    let url = URLBuilding.url(
      siteURL, "/projects/api/v3/tasks/\(URLBuilding.encode(externalKey)).json",
      query: [("include", Self.include)])
    let (json, raw) = try await transport.json(.GET, url)
    guard let task = json["task"], let taskRaw = try JSONSlicer.member("task", in: raw) else {
      throw TrackerError.badResponse("task response without 'task'")
    }
    return try TeamworkTaskMapper(siteURL: siteURL).map(
      task, included: json["included"], raw: taskRaw)
  }
}
