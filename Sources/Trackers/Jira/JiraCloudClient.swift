import Foundation

/// Jira Cloud over REST v3: enhanced JQL search (`POST /rest/api/3/search/jql`, token paging),
/// ADF rich text, OAuth 2.0 (3LO) through `api.atlassian.com/ex/jira/{cloudId}` or an API token
/// (HTTP Basic `email:token`) against the site URL.
public struct JiraCloudClient: TrackerClient {
  /// `jira-cloud`.
  public var type: TrackerType { .jiraCloud }

  private let api: JiraAPI

  /// Builds the client; throws ``TrackerError/invalidConfiguration(_:)`` for credentials that
  /// Jira Cloud does not accept (PAT, Teamwork API key).
  public init(configuration: TrackerConfiguration) throws {
    let authorization: HTTPAuthorization
    let base: String
    switch configuration.credentials {
    case .oauth2(let cloudId, let provider):
      authorization = .oauth(provider)
      base =
        configuration.atlassian.apiURL + "/ex/jira/" + URLBuilding.encode(cloudId) + "/rest/api/3"
    case .apiToken(let email, let token):
      authorization = .basic(email, token)
      base = configuration.siteURL + "/rest/api/3"
    case .basic(let username, let password):
      authorization = .basic(username, password)
      base = configuration.siteURL + "/rest/api/3"
    case .pat, .apiKey:
      throw TrackerError.invalidConfiguration("jira-cloud needs oauth2 or apiToken credentials")
    }
    api = JiraAPI(
      configuration: configuration, authorization: authorization, apiBase: base,
      format: .adf)
  }

  /// Calls `GET /rest/api/3/myself`.
  @discardableResult
  public func authenticate() async throws -> TrackerAccount {
    try await api.myself()
  }

  /// Pages through `POST /rest/api/3/search/jql`, stopping on `isLast` or a missing token.
  public func fetchIssues(updatedSince: Date?) -> TrackerPages {
    let api = self.api
    let context = JiraSearchContext()
    return TrackerPages { state in
      let (jql, mapper) = try await context.get {
        try await api.searchContext(updatedSince: updatedSince)
      }
      var body: JSONObject = [
        "jql": .string(jql),
        "fields": .array(mapper.requestedFields.map(JSONValue.string)),
        "maxResults": .number(Double(api.pageSize)),
      ]
      if case .token(let token) = state { body["nextPageToken"] = .string(token) }
      let (json, raw) = try await api.transport.json(
        .POST, api.apiBase + "/search/jql", json: Data(JSONValue.object(body).compactJSON.utf8))
      let issues = try api.mapIssues(json, body: raw, mapper: mapper)
      let token = json["nextPageToken"]?.nonEmptyString
      let isLast = json["isLast"]?.bool == true || token == nil
      return (
        TrackerPage(issues: issues, number: 0, isLast: isLast),
        isLast ? nil : token.map(TrackerPages.PageState.token)
      )
    }
  }

  /// Calls `GET /rest/api/3/issue/{key}`.
  public func fetchIssue(externalKey: String) async throws -> TrackerIssue {
    try await api.fetchIssue(externalKey: externalKey)
  }
}
