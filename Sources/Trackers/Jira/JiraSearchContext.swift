/// Caches a search stream's JQL and mapper after the first page, so that every page of one
/// stream runs the same query (Jira requires it while following `nextPageToken`).
actor JiraSearchContext {
  private var resolved: (jql: String, mapper: JiraIssueMapper)?

  func get(
    _ resolve: @Sendable () async throws -> (jql: String, mapper: JiraIssueMapper)
  ) async throws -> (jql: String, mapper: JiraIssueMapper) {
    if let resolved { return resolved }
    let value = try await resolve()
    resolved = value
    return value
  }
}
