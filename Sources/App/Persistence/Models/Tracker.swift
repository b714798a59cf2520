import Fluent
import Foundation
import Trackers

final class Tracker: Model, @unchecked Sendable {
  static let schema = "trackers"

  @ID(custom: .id, generatedBy: .user) var id: UUID?
  @Parent(key: "company_id") var company: Company
  @Field(key: "type") var type: String
  @Field(key: "name") var name: String
  @Field(key: "base_url") var baseURL: String
  /// The credentials, sealed by `CredentialCipher`; never returned by the API.
  @OptionalField(key: "auth_json") var authJSON: String?
  @OptionalField(key: "acceptance_criteria_field") var acceptanceCriteriaField: String?
  @OptionalField(key: "jql") var jql: String?
  /// `TrackerScope` as JSON: the repositories, projects or teams synced.
  @OptionalField(key: "scope_json") var scopeJSON: String?
  @Field(key: "sync_interval_minutes") var syncIntervalMinutes: Int
  /// Sealed like the credentials.
  @OptionalField(key: "webhook_secret") var webhookSecret: String?
  /// The latest external `updated` time stored; the next sync starts there (minus an overlap).
  @OptionalField(key: "sync_cursor") var syncCursor: Date?
  @OptionalField(key: "last_sync_at") var lastSyncAt: Date?
  /// When the last full sweep (every issue listed, the missing ones re-read) ended.
  @OptionalField(key: "swept_at") var sweptAt: Date?
  @OptionalField(key: "last_error") var lastError: String?
  @Field(key: "needs_reauth") var needsReauth: Bool
  @OptionalField(key: "archived_at") var archivedAt: Date?
  @Timestamp(key: "created_at", on: .create) var createdAt: Date?
  @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

  init() {}

  init(id: UUID = .v7(), companyID: UUID, type: String, name: String, baseURL: String) {
    self.id = id
    self.$company.id = companyID
    self.type = type
    self.name = name
    self.baseURL = baseURL
    self.syncIntervalMinutes = 5
    self.needsReauth = false
  }
}

extension Tracker {
  /// `type` as the tracker family it names.
  var trackerType: TrackerType { TrackerType(rawValue: type) }

  /// The stored scope; empty for the trackers that have none (Jira, Teamwork).
  var scope: TrackerScope {
    get {
      scopeJSON.flatMap { try? JSONDecoder().decode(TrackerScope.self, from: Data($0.utf8)) }
        ?? TrackerScope()
    }
    set {
      scopeJSON = (try? JSONEncoder().encode(newValue)).map { String(decoding: $0, as: UTF8.self) }
    }
  }
}
