import Fluent
import Foundation
import Jobs
import Trackers
import Vapor

/// The payload of a tracker sync job.
struct TrackerSyncPayload: Codable, Sendable {
  let trackerId: UUID
}

/// `sync-jira-issues` / `sync-teamwork-issues`: one sync of one tracker. Idempotent: issues are
/// upserted on `(tracker_id, ext_key)` and the cursor only moves forward.
struct TrackerSyncJob: JobHandler {
  let app: Application

  func handle(_ job: JobRecord, context: JobContext) async throws {
    let payload = try job.decodePayload(as: TrackerSyncPayload.self)
    guard let tracker = try await Tracker.find(payload.trackerId, on: app.db),
      tracker.archivedAt == nil
    else {
      context.logger.info("Tracker gone or archived; nothing to sync")
      return
    }
    let service = Self.service(app: app, logger: context.logger)
    do {
      _ = try await TrackerSync(database: app.db, logger: context.logger)
        .run(tracker: tracker, client: try service.client(for: tracker))
    } catch let error as TrackerError where error.needsReauthorization {
      throw PermanentJobError("needs re-authorisation: \(error)")
    }
  }

  static func service(app: Application, logger: Logger) -> TrackerService {
    let config = app.appConfig
    var service = TrackerService(
      database: app.db,
      cipher: .configured(config),
      httpClient: app.http.client.shared, logger: logger, atlassian: config.atlassian)
    service.oauth = { try app.atlassianOAuth() }
    service.teamworkKey = config.teamworkAPIKey.map {
      DeploymentTeamworkKey(apiKey: $0, siteURL: config.teamworkBaseURL)
    }
    service.outbound = config.outbound
    service.publicBaseURL = config.publicBaseURL
    return service
  }

  static func kind(for type: TrackerType) -> JobKind {
    type == .teamwork ? .syncTeamworkIssues : .syncJiraIssues
  }

  /// The live trackers of one family, each at its own interval.
  static func scheduled(jira: Bool, on database: any Database) async throws -> [ScheduledEntity] {
    let trackers = try await Tracker.query(on: database)
      .filter(\.$archivedAt == nil).filter(\.$needsReauth == false).all()
    return try trackers.filter { ($0.trackerType == .teamwork) != jira }.map { tracker in
      let id = try tracker.requireID()
      let payload = String(
        decoding: try JSONEncoder().encode(TrackerSyncPayload(trackerId: id)), as: UTF8.self)
      return ScheduledEntity(
        id: id.lowercasedText, interval: .seconds(60 * tracker.syncIntervalMinutes),
        payloadJSON: payload, tenant: JobTenant.of(company: tracker.$company.id))
    }
  }
}
