import Fluent
import Foundation
import Jobs
import Prometheus
import SQLKit
import Trackers
import Vapor

/// The application's job queue, its handlers and its periodic schedules.
struct JobSetup: Sendable {
  let queue: JobQueue
  let registry: JobRegistry
  let schedules: [JobSchedule]
  let metrics: PrometheusJobMetrics
  /// Set on PostgreSQL: workers listen for new jobs besides polling.
  let notifier: PostgresJobNotifier?

  init(app: Application) throws {
    let queue = try JobQueue(
      database: app.db.sql,
      configuration: try JobsConfiguration(environment: ProcessInfo.processInfo.environment),
      logger: Logger(label: "promptsmith.jobs"))
    var registry = JobRegistry()
    let sync = TrackerSyncJob(app: app)
    registry.register(.syncJiraIssues, handler: sync)
    registry.register(.syncTeamworkIssues, handler: sync)
    registry.register(.processWebhook, handler: WebhookJob(app: app))
    registry.register(.cleanupOldOutputs) { _, context in
      let report = try await OutputCleanup.run(
        database: app.db, storage: app.outputs.storage, logger: context.logger)
      context.logger.info("Output cleanup done", metadata: ["report": "\(report)"])
    }
    registry.register(.cleanupAuditEvents) { _, context in
      let deleted = try await AuditRetention(days: app.appConfig.auditRetentionDays)
        .prune(database: app.db)
      context.logger.info("Audit retention applied", metadata: ["deleted": "\(deleted)"])
    }
    registry.register(.test, handler: TestJobHandler())
    self.queue = queue
    self.registry = registry
    self.schedules = [
      .perEntity(.syncJiraIssues) { try await TrackerSyncJob.scheduled(jira: true, on: app.db) },
      .perEntity(.syncTeamworkIssues) {
        try await TrackerSyncJob.scheduled(jira: false, on: app.db)
      },
      .every(.seconds(86_400), .cleanupOldOutputs),
      .every(.seconds(86_400), .cleanupAuditEvents),
    ]
    self.metrics = PrometheusJobMetrics(registry: app.httpMetrics.registry)
    if case .postgres(let url) = app.appConfig.database {
      notifier = PostgresJobNotifier(url: url, logger: Logger(label: "promptsmith.jobs"))
    } else {
      notifier = nil
    }
  }

  func worker(queues: [String] = [], concurrency: Int = 10, logger: Logger) -> JobWorker {
    JobWorker(
      queue: queue, registry: registry,
      options: JobWorkerOptions(queues: queues, concurrency: concurrency), notifier: notifier,
      metrics: metrics, logger: logger)
  }

  func scheduler(logger: Logger) -> JobScheduler {
    JobScheduler(queue: queue, schedules: schedules, logger: logger)
  }
}

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
      cipher: CredentialCipher(
        current: .init(config.encryptionKey),
        previous: config.previousEncryptionKeys.map { .init($0) }),
      httpClient: app.http.client.shared, logger: logger, atlassian: config.atlassian)
    service.oauth = { try app.atlassianOAuth() }
    service.teamworkKey = config.teamworkAPIKey.map {
      DeploymentTeamworkKey(apiKey: $0, siteURL: config.teamworkBaseURL)
    }
    service.outbound = config.outbound
    service.publicBaseURL = config.publicBaseURL
    return service
  }

  static func kind(forTrackerType type: String) -> JobKind {
    type == "teamwork" ? .syncTeamworkIssues : .syncJiraIssues
  }

  /// The live trackers of one family, each at its own interval.
  static func scheduled(jira: Bool, on database: any Database) async throws -> [ScheduledEntity] {
    let trackers = try await Tracker.query(on: database)
      .filter(\.$archivedAt == nil).filter(\.$needsReauth == false).all()
    return try trackers.filter { ($0.type == "teamwork") != jira }.map { tracker in
      let id = try tracker.requireID()
      let payload = String(
        decoding: try JSONEncoder().encode(TrackerSyncPayload(trackerId: id)), as: UTF8.self)
      return ScheduledEntity(
        id: id.uuidString.lowercased(), interval: .seconds(60 * tracker.syncIntervalMinutes),
        payloadJSON: payload, tenant: JobTenant.of(company: tracker.$company.id))
    }
  }
}

/// Job counters and durations in the application's Prometheus registry.
struct PrometheusJobMetrics: JobMetrics {
  let registry: PrometheusCollectorRegistry

  private func counter(_ name: String, _ help: String, _ labels: [(String, String)]) -> Counter {
    registry.makeCounter(
      descriptor: MetricNameDescriptor(metricName: name, unitName: "total", helpText: help),
      labels: labels)
  }

  func jobStarted(queue: String, kind: JobKind) {
    counter("jobs_started", "Job attempts started", [("queue", queue), ("kind", kind.rawValue)])
      .increment()
  }

  func jobSucceeded(queue: String, kind: JobKind, duration: TimeInterval) {
    counter(
      "jobs_succeeded", "Job attempts succeeded", [("queue", queue), ("kind", kind.rawValue)]
    )
    .increment()
    record(kind: kind, duration: duration)
  }

  func jobFailed(queue: String, kind: JobKind, duration: TimeInterval) {
    counter("jobs_failed", "Job attempts failed", [("queue", queue), ("kind", kind.rawValue)])
      .increment()
    record(kind: kind, duration: duration)
  }

  func jobDead(queue: String, kind: JobKind) {
    counter(
      "jobs_dead", "Jobs moved to the dead state", [("queue", queue), ("kind", kind.rawValue)]
    )
    .increment()
  }

  func jobsRescued(count: Int) {
    counter("jobs_rescued", "Jobs taken back after their lease expired", [])
      .increment(by: Int64(count))
  }

  private func record(kind: JobKind, duration: TimeInterval) {
    registry.makeDurationHistogram(
      descriptor: MetricNameDescriptor(
        metricName: "job_duration", unitName: "seconds", helpText: "Job attempt duration"),
      labels: [("kind", kind.rawValue)], buckets: HTTPMetrics.buckets
    ).record(.milliseconds(Int64(duration * 1000)))
  }

  /// Queue depth by queue and state, and the oldest available job's age, read at scrape time.
  static func recordQueueState(_ queue: JobQueue, into registry: PrometheusCollectorRegistry)
    async throws
  {
    for count in try await queue.counts() {
      registry.makeGauge(
        descriptor: MetricNameDescriptor(
          metricName: "jobs_queue_depth", unitName: "", helpText: "Jobs by queue and state"),
        labels: [("queue", count.queue), ("state", count.state.rawValue)]
      ).set(Double(count.count))
    }
    registry.makeGauge(
      descriptor: MetricNameDescriptor(
        metricName: "jobs_oldest_available_age", unitName: "seconds",
        helpText: "Age of the oldest job waiting to run")
    ).set(try await queue.oldestAvailableAge())
  }
}

extension Application {
  private struct JobSetupKey: StorageKey {
    typealias Value = JobSetup
  }

  var jobs: JobSetup {
    get { storage.required(JobSetupKey.self) }
    set { storage[JobSetupKey.self] = newValue }
  }
}
