import Foundation
import Templating
import Trackers

/// How a tracker authenticates: `auth.kind` in requests and in the sealed `auth_json`.
enum TrackerAuthKind: String, Codable, Sendable, CaseIterable {
  case apiToken, oauth2, pat, basic, apiKey
}

/// The `auth` object of a tracker, as admins send it and as it is sealed in `auth_json`.
struct TrackerAuth: Codable, Sendable, Equatable {
  var kind: TrackerAuthKind
  var email: String?
  var apiToken: String?
  var token: String?
  var username: String?
  var password: String?
  var apiKey: String?
  // OAuth 2.0 (3LO), filled by the callback and each refresh.
  var accessToken: String?
  var refreshToken: String?
  var expiresAt: Date?
  var cloudId: String?

  init(kind: TrackerAuthKind) {
    self.kind = kind
  }

  /// Which kinds each tracker type accepts, and the fields each kind needs.
  static let kindsByType: [TrackerType: [TrackerAuthKind]] = [
    .jiraCloud: [.apiToken, .oauth2],
    .jiraDataCenter: [.pat, .basic],
    .teamwork: [.apiKey, .pat],
    .github: [.pat],
    .gitlab: [.pat],
    .linear: [.apiKey],
  ]
  /// The tracker types Promptsmith connects, in the order errors list them.
  static let supportedTypes: [TrackerType] = [
    .jiraCloud, .jiraDataCenter, .teamwork, .github, .gitlab, .linear,
  ]
  static let requiredFields: [TrackerAuthKind: [String]] = [
    .apiToken: ["email", "apiToken"], .oauth2: [], .pat: ["token"],
    .basic: ["username", "password"], .apiKey: ["apiKey"],
  ]

  init(_ object: JSONObject, type: TrackerType) throws {
    guard let name = object["kind"]?.stringValue else {
      throw AppError.badRequest("is required and must be a string", field: "auth.kind")
    }
    let allowed = Self.kindsByType[type] ?? []
    guard let kind = TrackerAuthKind(rawValue: name), allowed.contains(kind) else {
      throw AppError.validation(
        field: "auth.kind",
        reason:
          "must be one of \(allowed.map(\.rawValue).joined(separator: ", ")) for a \(type) tracker")
    }
    self.kind = kind
    var missing: [ProblemDetails.FieldError] = []
    func field(_ name: String) -> String? {
      let value = object[name]?.stringValue
      if (Self.requiredFields[kind] ?? []).contains(name), value?.isEmpty ?? true {
        missing.append(.init(field: "auth.\(name)", reason: "is required for \(kind)"))
      }
      return value
    }
    email = field("email")
    apiToken = field("apiToken")
    token = field("token")
    username = field("username")
    password = field("password")
    apiKey = field("apiKey")
    guard missing.isEmpty else { throw AppError.validation(missing) }
  }

  /// The names of the secrets that are set, for responses (never the values).
  var setFields: [String] {
    [
      ("email", email), ("apiToken", apiToken), ("token", token), ("username", username),
      ("password", password), ("apiKey", apiKey), ("accessToken", accessToken),
      ("refreshToken", refreshToken),
    ].compactMap { $0.1 == nil ? nil : $0.0 }
  }

  func credentials(oauth: (any AccessTokenProvider)?) throws -> TrackerCredentials {
    switch kind {
    case .oauth2:
      guard let cloudId, let oauth else {
        throw AppError.conflict(
          "This tracker needs OAuth authorisation: GET /trackers/:id/oauth/start.")
      }
      return .oauth2(cloudId: cloudId, provider: oauth)
    case .apiToken: return .apiToken(email: email ?? "", token: apiToken ?? "")
    case .pat: return .pat(token: token ?? "")
    case .basic: return .basic(username: username ?? "", password: password ?? "")
    case .apiKey: return .apiKey(key: apiKey ?? "")
    }
  }
}
