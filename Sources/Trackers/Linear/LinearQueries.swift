/// The GraphQL operations the Linear client sends. Labels are capped at 20 per issue: a
/// connection without `first` counts 50 towards Linear's complexity limit.
enum LinearQueries {
  static let issueFields = """
    id identifier number title description priority priorityLabel url
    createdAt updatedAt archivedAt trashed startedAt completedAt canceledAt
    state { id name type }
    labels(first: 20) { nodes { id name } }
    assignee { id name email displayName }
    team { id key name }
    """

  static let viewer = "query Viewer { viewer { id name email displayName } }"

  static let issues = """
    query Issues($teamKeys: [String!], $since: DateTimeOrDuration, $first: Int, $after: String) {
      issues(
        filter: { team: { key: { in: $teamKeys } }, updatedAt: { gte: $since } }
        orderBy: updatedAt, first: $first, after: $after, includeArchived: true
      ) {
        nodes { \(issueFields) }
        pageInfo { hasNextPage endCursor }
      }
    }
    """

  static let issue = """
    query Issue($id: String!) { issue(id: $id) { \(issueFields) } }
    """
}
