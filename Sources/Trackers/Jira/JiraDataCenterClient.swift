import Foundation

/// Jira Data Center / Server over REST v2: `GET /rest/api/2/search` with `startAt`/`maxResults`
/// offset paging, wiki-markup rich text, personal access token (Bearer) or HTTP Basic.
public struct JiraDataCenterClient: TrackerClient {
  /// `jira-dc`.
  public var type: TrackerType { .jiraDataCenter }

  private let api: JiraAPI

  /// Builds the client; the base URL includes any context path (`https://host/jira`).
  public init(configuration: TrackerConfiguration) throws {
    let authorization: HTTPAuthorization
    switch configuration.credentials {
    case .pat(let token):
      authorization = .bearer(token)
    case .basic(let username, let password):
      authorization = .basic(username, password)
    case .apiToken(let email, let token):
      authorization = .basic(email, token)
    case .oauth2, .apiKey:
      throw TrackerError.invalidConfiguration("jira-dc needs pat or basic credentials")
    }
    api = JiraAPI(
      configuration: configuration, authorization: authorization,
      apiBase: configuration.siteURL + "/rest/api/2",
      format: .wiki)
  }

  /// Calls `GET /rest/api/2/myself`.
  @discardableResult
  public func authenticate() async throws -> TrackerAccount {
    try await api.myself()
  }

  /// Pages through `GET /rest/api/2/search`, advancing `startAt` by the issues received (the
  /// server may lower `maxResults`), until `total` is reached or a page is empty.
  public func fetchIssues(updatedSince: Date?) -> TrackerPages {
    let api = self.api
    let context = JiraSearchContext()
    return TrackerPages { state in
      let (jql, mapper) = try await context.get {
        try await api.searchContext(updatedSince: updatedSince)
      }
      var startAt = 0
      if case .offset(let offset) = state { startAt = offset }
      let url = URLBuilding.url(
        api.apiBase, "/search",
        query: [
          ("jql", jql), ("startAt", String(startAt)), ("maxResults", String(api.pageSize)),
          ("fields", mapper.requestedFields.joined(separator: ",")),
        ])
      let (json, raw) = try await api.transport.json(.GET, url)
      let issues = try api.mapIssues(json, body: raw, mapper: mapper)
      let next = startAt + issues.count
      let total = json["total"]?.number.map { Int($0) }
      let isLast = issues.isEmpty || total.map { next >= $0 } ?? (issues.count < api.pageSize)
      return (
        TrackerPage(issues: issues, number: 0, isLast: isLast),
        isLast ? nil : .offset(next)
      )
    }
  }

  /// Calls `GET /rest/api/2/issue/{key}`.
  public func fetchIssue(externalKey: String) async throws -> TrackerIssue {
    try await api.fetchIssue(externalKey: externalKey)
  }
}
