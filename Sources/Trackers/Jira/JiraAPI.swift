import Foundation
import Logging
import NIOHTTP1

/// The calls Jira Cloud and Data Center share: `/myself`, `/field`, `/issue/{key}`.
struct JiraAPI: Sendable {
  var transport: HTTPTransport
  /// `…/rest/api/3` (Cloud) or `…/rest/api/2` (Data Center).
  var apiBase: String
  var siteURL: String
  var format: JiraIssueMapper.RichTextFormat
  var configuredCriteriaField: String?
  var filter: String?
  var overlap: TimeInterval
  var pageSize: Int

  /// `GET /myself`: who we are, and the time zone JQL literals are read in.
  func myself() async throws -> TrackerAccount {
    let (json, _) = try await transport.json(.GET, apiBase + "/myself")
    let mapper = JiraIssueMapper(format: format, siteURL: siteURL)
    let user = mapper.user(json)
    return TrackerAccount(
      externalId: user?.externalId, name: user?.name, email: user?.email,
      timeZone: json["timeZone"]?.nonEmptyString)
  }

  /// The time zone of the querying user (UTC when unknown).
  func userTimeZone() async throws -> TimeZone {
    let account = try await myself()
    if let identifier = account.timeZone, let zone = TimeZone(identifier: identifier) {
      return zone
    }
    transport.logger.warning(
      "Jira user time zone unknown, formatting JQL in UTC",
      metadata: ["timeZone": "\(account.timeZone ?? "none")"])
    return TimeZone(identifier: "UTC")!
  }

  /// The configured acceptance-criteria field, or the one discovered from `GET /field`.
  func criteriaField() async throws -> String? {
    if let configuredCriteriaField, !configuredCriteriaField.isEmpty {
      return configuredCriteriaField
    }
    let (fields, _) = try await transport.json(.GET, apiBase + "/field")
    let discovered = AcceptanceCriteriaField.discover(in: fields)
    transport.logger.debug(
      "acceptance criteria field discovery", metadata: ["field": "\(discovered ?? "none")"])
    return discovered
  }

  /// Everything a search stream needs, resolved once at its start.
  func searchContext(updatedSince: Date?) async throws -> (jql: String, mapper: JiraIssueMapper) {
    async let zone = userTimeZone()
    async let field = criteriaField()
    let jql = JQL.deltaQuery(
      filter: filter, updatedSince: updatedSince, overlap: overlap, timeZone: try await zone)
    let mapper = JiraIssueMapper(format: format, siteURL: siteURL, criteriaField: try await field)
    return (jql, mapper)
  }

  /// `GET /issue/{key}` with the sync's fields; a moved issue comes back under its new key.
  func fetchIssue(externalKey: String) async throws -> TrackerIssue {
    let mapper = JiraIssueMapper(
      format: format, siteURL: siteURL, criteriaField: try await criteriaField())
    let url = URLBuilding.url(
      apiBase, "/issue/" + URLBuilding.encode(externalKey),
      query: [
        ("fields", mapper.requestedFields.joined(separator: ",")), ("updateHistory", "false"),
      ])
    let (json, raw) = try await transport.json(.GET, url)
    return try mapper.map(json, raw: raw)
  }

  /// Maps the `issues` array of a search response, keeping each issue's raw bytes.
  func mapIssues(_ json: JSONValue, body: Data, mapper: JiraIssueMapper) throws -> [TrackerIssue] {
    let issues = json["issues"]?.array ?? []
    let raws = try JSONSlicer.arrayElements(ofMember: "issues", in: body)
    guard raws.count == issues.count else {
      throw TrackerError.badResponse("issue count mismatch while slicing the search response")
    }
    return try zip(issues, raws).map { try mapper.map($0, raw: $1) }
  }
}

extension JiraAPI {
  /// Cloud and Data Center alike: everything but the API's base and rich-text format comes
  /// from the configuration.
  init(
    configuration: TrackerConfiguration, authorization: HTTPAuthorization, apiBase: String,
    format: JiraIssueMapper.RichTextFormat
  ) {
    self.init(
      transport: HTTPTransport(configuration: configuration, authorization: authorization),
      apiBase: apiBase,
      siteURL: configuration.siteURL,
      format: format,
      configuredCriteriaField: configuration.acceptanceCriteriaField,
      filter: configuration.jql,
      overlap: configuration.overlapWindow,
      pageSize: max(1, configuration.pageSize))
  }
}

/// The shared construction of ``HTTPTransport`` from a configuration.
extension HTTPTransport {
  init(configuration: TrackerConfiguration, authorization: HTTPAuthorization) {
    self.init(
      client: configuration.httpClient,
      logger: configuration.logger,
      timeout: configuration.requestTimeout,
      retryPolicy: configuration.retryPolicy,
      authorization: authorization,
      outbound: configuration.outbound.trusting([
        configuration.atlassian.authURL, configuration.atlassian.apiURL,
      ]))
  }
}
