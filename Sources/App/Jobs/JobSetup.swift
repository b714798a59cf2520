import Fluent
import Foundation
import Jobs
import JobsDrivers
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
      sqliteWriter: app.sqliteWriteGroup,
      logger: Logger(label: "promptsmith.jobs"))
    var registry = JobRegistry()
    let sync = TrackerSyncJob(app: app)
    registry.register(.syncJiraIssues, handler: sync)
    registry.register(.syncTeamworkIssues, handler: sync)
    registry.register(.processWebhook, handler: WebhookJob(app: app))
    registry.register(.deliverWebhook, handler: WebhookDeliveryJob(app: app))
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
    // The queue's own test kind, which the tests enqueue; never a production handler.
    if app.environment == .testing {
      registry.register(.test, handler: TestJobHandler())
    }
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

extension Application {
  private struct JobSetupKey: StorageKey {
    typealias Value = JobSetup
  }

  var jobs: JobSetup {
    get { storage.required(JobSetupKey.self) }
    set { storage[JobSetupKey.self] = newValue }
  }
}
