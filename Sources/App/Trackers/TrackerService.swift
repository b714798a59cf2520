import AsyncHTTPClient
import Fluent
import Foundation
import Logging
import Templating
import Trackers

/// Tracker connections: validated, credentials sealed at rest, never shown again.
struct TrackerService: Sendable {
  let database: any Database
  let cipher: CredentialCipher
  let httpClient: HTTPClient
  let logger: Logger
  let atlassian: AtlassianEndpoints
  /// `TEAMWORK_API_KEY` and the site it belongs to (`TEAMWORK_BASE_URL`).
  var teamworkKey: DeploymentTeamworkKey?
  /// What a tracker's URLs may reach.
  var outbound = OutboundPolicy()
  /// `PUBLIC_BASE_URL`, for the webhook URL shown to admins.
  var publicBaseURL: String?
  /// Builds the Atlassian OAuth client when the deployment has one configured.
  var oauth: @Sendable () throws -> AtlassianOAuth = {
    throw AppError.conflict("Jira OAuth is not configured.")
  }
  /// Writes each change's audit row in the change's transaction; nil for background syncs.
  /// The author of the changes `save` and `archive` make; nil in the services that only read
  /// and sync (jobs, webhooks), where a change would have no author and is refused.
  var auditor: Auditor?

  /// The fields a create or update body set, by name only: `auth` and `webhookSecret` are
  /// listed as changed, never shown.
  static let auditedFields: Set<String> = [
    "type", "name", "baseUrl", "auth", "acceptanceCriteriaField", "jql", "syncIntervalMinutes",
    "webhookSecret", "scope",
  ]

  private func save(
    _ tracker: Tracker, _ action: AuditAction, body: JSONBody, details: [String: String] = [:]
  ) async throws {
    let changed = body.object.pairs.map(\.key).filter(Self.auditedFields.contains)
    try await database.writeTransaction { transaction in
      if action == .trackerCreated {
        try await tracker.create(on: transaction)
      } else {
        try await tracker.save(on: transaction)
      }
      try await requiredAuditor.record(
        action, .tracker, id: try tracker.requireID(), changed: changed, details: details,
        on: transaction)
    }
  }

  /// The change's author: a change nobody would be recorded as making is a programming error,
  /// never a change without its audit row.
  private var requiredAuditor: Auditor {
    get throws {
      guard let auditor else { throw ChangeWithoutAuthor() }
      return auditor
    }
  }

  /// Archives a live tracker (the delete of the API).
  func archive(_ tracker: Tracker) async throws {
    guard tracker.archivedAt == nil else { return }
    tracker.archivedAt = Date()
    try await database.writeTransaction { transaction in
      try await tracker.save(on: transaction)
      try await requiredAuditor.record(
        .trackerDeleted, .tracker, id: try tracker.requireID(), changed: ["archivedAt"],
        on: transaction)
    }
  }

  /// Linear's API host, the `baseUrl` of a `linear` tracker created without one.
  static let linearAPI = "https://api.linear.app"

  /// Takes the validated body as `JSONBody`, not a `Decodable`: `PATCH` tells a member left out
  /// from one set to `null` (clearing `jql` or the criteria field), and both share `apply`.
  func create(companyID: UUID, body: JSONBody) async throws -> Tracker {
    let type = TrackerType(rawValue: try body.requiredString("type"))
    guard TrackerAuth.kindsByType[type] != nil else {
      throw AppError.validation(
        field: "type",
        reason:
          "must be one of \(TrackerAuth.supportedTypes.map(\.rawValue).joined(separator: ", "))")
    }
    let name = try Self.validName(try body.requiredString("name"))
    let baseURL = try await admittedBaseURL(
      type == .linear
        ? try body.optionalString("baseUrl") ?? Self.linearAPI : try body.requiredString("baseUrl"))
    let auth: TrackerAuth
    if let authObject = try body.optionalObject("auth") {
      auth = try TrackerAuth(authObject, type: type)
    } else if type == .teamwork,
      let key = try await teamworkKey?.key(for: baseURL, companyID: companyID, on: database)
    {
      auth = try TrackerAuth(["kind": "apiKey", "apiKey": .string(key)], type: type)
    } else {
      throw AppError.badRequest("is required", field: "auth")
    }
    let tracker = Tracker(companyID: companyID, type: type.rawValue, name: name, baseURL: baseURL)
    tracker.authJSON = try seal(auth, for: tracker)
    try apply(body, to: tracker)
    try TrackerScopeInput.requireComplete(tracker)
    try await save(tracker, .trackerCreated, body: body)
    return tracker
  }

  /// Applies a `PATCH`. Moving the tracker to another origin (scheme, host or port) needs its
  /// credentials in the same body, so that sealed credentials never go to a host they were
  /// not given for; an OAuth tracker instead loses its tokens and must be connected again.
  func update(_ tracker: Tracker, body: JSONBody) async throws -> Tracker {
    if let name = try body.optionalString("name") {
      tracker.name = try Self.validName(name)
    }
    let authObject = try body.optionalObject("auth")
    var move: TrackerMove?
    if let raw = try body.optionalString("baseUrl") {
      let baseURL = try await admittedBaseURL(raw)
      move = TrackerMove(from: tracker.baseURL, to: baseURL)
      tracker.baseURL = baseURL
    }
    let storedKind = try? auth(of: tracker)?.kind
    if let authObject {
      tracker.authJSON = try seal(
        try TrackerAuth(authObject, type: tracker.trackerType), for: tracker)
      tracker.needsReauth = false
    }
    if let move, move.changesOrigin {
      let kind = authObject?["kind"]?.stringValue.flatMap(TrackerAuthKind.init) ?? storedKind
      if kind == .oauth2 {
        tracker.authJSON = try seal(TrackerAuth(kind: .oauth2), for: tracker)
        tracker.needsReauth = true
      } else if authObject == nil {
        throw AppError.validation(
          field: "auth",
          reason: "is required when baseUrl moves to another scheme, host or port: the stored "
            + "credentials were given for \(move.fromOrigin)")
      }
    }
    try apply(body, to: tracker)
    // A scope is replaced whole: one without its list would sync nothing.
    try TrackerScopeInput.requireComplete(tracker)
    try await save(tracker, .trackerUpdated, body: body, details: move?.auditDetails ?? [:])
    return tracker
  }

  /// The optional settings shared by create and update.
  private func apply(_ body: JSONBody, to tracker: Tracker) throws {
    if body.has("acceptanceCriteriaField") {
      tracker.acceptanceCriteriaField = try body.optionalString("acceptanceCriteriaField")
    }
    if body.has("jql") { tracker.jql = try body.optionalString("jql") }
    if let scope = try body.optionalObject("scope") {
      tracker.scope = try TrackerScopeInput.parse(scope, type: tracker.trackerType)
    }
    // 1 to 1440: openapi.yaml's rule, enforced before the handler runs.
    if let minutes = try body.optionalInt("syncIntervalMinutes") {
      tracker.syncIntervalMinutes = minutes
    }
    if body.has("webhookSecret") {
      if let secret = try body.optionalString("webhookSecret") {
        guard secret.utf8.count >= 16 else {
          throw AppError.validation(field: "webhookSecret", reason: "must be at least 16 bytes")
        }
        tracker.webhookSecret = try cipher.seal(
          Data(secret.utf8), for: .webhookSecret(of: try tracker.requireID()))
      } else {
        tracker.webhookSecret = nil
      }
    }
  }

  func find(_ id: UUID, companyID: UUID) async throws -> Tracker {
    guard
      let tracker = try await Tracker.query(on: database)
        .filter(\.$id == id).filter(\.$company.$id == companyID).first()
    else { throw AppError.notFound("Tracker") }
    return tracker
  }

  func auth(of tracker: Tracker) throws -> TrackerAuth? {
    guard let sealed = tracker.authJSON else { return nil }
    return try JSONDecoder().decode(
      TrackerAuth.self, from: cipher.open(sealed, for: .auth(of: try tracker.requireID())))
  }

  func response(_ tracker: Tracker) async throws -> TrackerResponse {
    let count = try await Issue.query(on: database).filter(\.$tracker.$id == tracker.requireID())
      .count()
    return try TrackerResponse(
      tracker, auth: try? auth(of: tracker), issueCount: count, publicBaseURL: publicBaseURL)
  }

  /// A client for the tracker, with its decrypted credentials.
  func client(for tracker: Tracker) throws -> any TrackerClient {
    guard let auth = try auth(of: tracker) else {
      throw AppError.conflict("The tracker has no credentials.")
    }
    return try TrackerRegistry.standard.makeClient(
      TrackerConfiguration(
        type: TrackerType(rawValue: tracker.type), baseURL: tracker.baseURL,
        credentials: try auth.credentials(
          oauth: auth.kind == .oauth2 ? try tokenStore(for: tracker.requireID()) : nil),
        acceptanceCriteriaField: tracker.acceptanceCriteriaField, jql: tracker.jql,
        scope: tracker.scope, httpClient: httpClient, logger: logger, atlassian: atlassian,
        outbound: outbound))
  }

  /// A syntactically valid base URL that the outbound policy admits (422 naming the rule).
  func admittedBaseURL(_ raw: String) async throws -> String {
    let baseURL = try Self.validBaseURL(raw)
    do {
      _ = try await outbound.admit(baseURL)
    } catch {
      throw AppError.validation(field: "baseUrl", reason: error.description)
    }
    return baseURL
  }

  /// The OAuth access tokens of a Jira Cloud tracker, refreshed as they expire.
  func tokenStore(for trackerID: UUID) throws -> OAuthTokenStore {
    OAuthTokenStore(
      trackerID: trackerID, database: database, cipher: cipher, oauth: try oauth(),
      now: { Date() })
  }

  /// The tracker's `auth` sealed, bound to it.
  func seal(_ auth: TrackerAuth, for tracker: Tracker) throws -> String {
    try cipher.seal(JSONEncoder().encode(auth), for: .auth(of: try tracker.requireID()))
  }

  static func validName(_ raw: String) throws -> String {
    let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
    guard (1...200).contains(name.count) else {
      throw AppError.validation(field: "name", reason: "must be 1 to 200 characters")
    }
    return name
  }

  static func validBaseURL(_ raw: String) throws -> String {
    var url = raw.trimmingCharacters(in: .whitespacesAndNewlines)
    while url.hasSuffix("/") { url.removeLast() }
    guard let components = URLComponents(string: url), let scheme = components.scheme,
      scheme == "https" || scheme == "http", components.host?.isEmpty == false,
      components.query == nil
    else {
      throw AppError.validation(field: "baseUrl", reason: "must be an http(s) site URL")
    }
    return url
  }
}

/// A tracker change asked of a service that has no user to record as its author.
struct ChangeWithoutAuthor: Error, CustomStringConvertible {
  var description: String { "a tracker change needs an author for its audit row" }
}
