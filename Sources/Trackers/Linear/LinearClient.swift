import Foundation
import NIOHTTP1

/// Linear over its GraphQL API (`{baseURL}/graphql`, `https://api.linear.app` by default): the
/// scope's teams' issues, archived ones included, filtered by `updatedAt >= cursor − overlap`.
///
/// Linear orders `updatedAt` newest first and offers no other public order, so a run reads
/// every page and only its last page moves the cursor, to the latest update it saw.
public struct LinearClient: TrackerClient {
  /// `linear`.
  public var type: TrackerType { .linear }

  private let transport: HTTPTransport
  private let endpoint: String
  private let teams: [String]
  private let pageSize: Int
  private let overlap: TimeInterval

  /// Builds the client: a personal API key, sent bare in `Authorization` as Linear asks, and
  /// at least one team key.
  public init(configuration: TrackerConfiguration) throws {
    guard case .apiKey(let key) = configuration.credentials else {
      throw TrackerError.invalidConfiguration("linear needs a personal API key (apiKey)")
    }
    let teams = configuration.scope.teams ?? []
    guard !teams.isEmpty, teams.allSatisfy(TrackerScope.isTeamKey) else {
      throw TrackerError.invalidConfiguration("linear needs scope.teams: one or more team keys")
    }
    var transport = HTTPTransport(
      configuration: configuration, authorization: .header(name: "Authorization", value: key))
    transport.reportsRateLimitsInBody = true
    self.transport = transport
    endpoint = configuration.siteURL + "/graphql"
    self.teams = teams
    pageSize = min(100, max(1, configuration.pageSize))
    overlap = configuration.overlapWindow
  }

  /// Asks for `viewer`: who the key belongs to.
  @discardableResult
  public func authenticate() async throws -> TrackerAccount {
    let (data, _) = try await query(LinearQueries.viewer, variables: [:])
    let viewer = data["viewer"]
    return TrackerAccount(
      externalId: viewer?["id"]?.string, name: viewer?["name"]?.string,
      email: viewer?["email"]?.string, timeZone: nil)
  }

  /// The teams' issues updated since the cursor (less the overlap), page after page as Linear
  /// returns them (newest first).
  public func fetchIssues(updatedSince: Date?) -> TrackerPages {
    let since = Timestamps.rfc3339(
      updatedSince?.addingTimeInterval(-overlap) ?? Date(timeIntervalSince1970: 0))
    let client = self
    return TrackerPages { state in
      var position = ListingPosition(source: 0, url: nil, latest: nil)
      if case .token(let token) = state, let decoded = ListingPosition(token) {
        position = decoded
      }
      var variables: JSONObject = [
        "teamKeys": .array(client.teams.map { .string($0) }), "since": .string(since),
        "first": .number(Double(client.pageSize)),
      ]
      if let after = position.url { variables["after"] = .string(after) }
      let (data, body) = try await client.query(LinearQueries.issues, variables: variables)
      let connection = data["issues"]
      let nodes = connection?["nodes"]?.array ?? []
      let raws =
        try JSONSlicer.member("data", in: body)
        .flatMap { try JSONSlicer.member("issues", in: $0) }
        .map { try JSONSlicer.arrayElements(ofMember: "nodes", in: $0) } ?? []
      guard raws.count == nodes.count else {
        throw TrackerError.badResponse("issue count mismatch while slicing the response")
      }
      let issues = try zip(nodes, raws).map { try LinearIssueMapper.map($0, raw: $1) }
      let latest = ([position.latest] + issues.map(\.updatedAt)).compactMap { $0 }.max()
      let pageInfo = connection?["pageInfo"]
      var next: ListingPosition?
      if pageInfo?["hasNextPage"]?.bool == true, let cursor = pageInfo?["endCursor"]?.string,
        !nodes.isEmpty
      {
        next = ListingPosition(source: 0, url: cursor, latest: latest)
      }
      let isLast = next == nil
      return (
        TrackerPage(issues: issues, number: 0, isLast: isLast, cursor: isLast ? latest : nil),
        next.map { .token($0.token) }
      )
    }
  }

  /// Asks for `issue(id:)` with an identifier such as `ENG-123`. An issue Linear cannot find,
  /// one in the trash, and one now in a team outside the scope are `notFound`, naming the key.
  public func fetchIssue(externalKey: String) async throws -> TrackerIssue {
    guard let team = TrackerScope.linearTeam(of: externalKey), teams.contains(team) else {
      throw TrackerError.notFound("Linear issue \(externalKey): not in this tracker's teams")
    }
    let missing = TrackerError.notFound("Linear issue \(externalKey) (not found)")
    let data: JSONValue
    let body: Data
    do {
      (data, body) = try await query(
        LinearQueries.issue, variables: ["id": .string(externalKey)], missing: missing)
    } catch TrackerError.rejected(400, let message) where Self.isNotFound(message) {
      throw missing
    }
    guard let item = data["issue"], item != .null,
      let raw = try JSONSlicer.member("data", in: body).flatMap({
        try JSONSlicer.member("issue", in: $0)
      })
    else {
      throw missing
    }
    let issue = try LinearIssueMapper.map(item, raw: raw)
    guard !issue.isDeleted else {
      throw TrackerError.notFound("Linear issue \(externalKey) (deleted)")
    }
    guard let now = item["team"]?["key"]?.string, teams.contains(now) else {
      throw TrackerError.notFound("Linear issue \(externalKey) (moved to another team)")
    }
    return issue
  }

  /// Posts a GraphQL operation; the `data` member and the whole body. Errors in the body
  /// (Linear answers some with 200) become ``TrackerError``s: `missing` when Linear says the
  /// entity does not exist (an HTTP 404 is the endpoint's, not the entity's).
  private func query(
    _ text: String, variables: JSONObject,
    missing: TrackerError = .badResponse("Linear: an entity was not found")
  ) async throws -> (JSONValue, Data) {
    let request = JSONValue.object(["query": .string(text), "variables": .object(variables)])
    let result = try await transport.send(
      .POST, endpoint, json: Data(request.serialized().utf8))
    let json = try HTTPTransport.parsed(result.body, method: .POST, url: endpoint)
    if let errors = json["errors"]?.array, let first = errors.first {
      let message =
        first["extensions"]?["userPresentableMessage"]?.string ?? first["message"]?.string
        ?? "GraphQL error"
      if Self.isNotFound(first["message"]?.string ?? message) {
        throw missing
      }
      if first["extensions"]?["type"]?.string == "authentication error" {
        throw TrackerError.authenticationFailed(message)
      }
      throw TrackerError.rejected(status: result.status, message: message)
    }
    guard let data = json["data"], data != .null else {
      throw TrackerError.badResponse("POST \(endpoint): no data in the answer")
    }
    return (data, result.body)
  }

  /// Linear's words for a missing entity ("Entity not found: Issue", "Could not find …").
  static func isNotFound(_ message: String) -> Bool {
    let lowered = message.lowercased()
    return lowered.contains("not found") || lowered.contains("could not find")
  }
}
