import ConsoleKit
import Jobs
import Logging
import ServiceLifecycle
import UnixSignals
import Vapor

/// `promptsmith worker [--queues a,b] [--concurrency N]`: runs jobs and the scheduler until
/// SIGTERM or SIGINT, then stops claiming, lets running jobs finish and releases the rest.
struct WorkerCommand: AsyncCommand {
  struct Signature: CommandSignature {
    @Option(
      name: "queues",
      help: "Comma-separated queues to run (default: default and webhooks, each its own worker)")
    var queues: String?
    @Option(name: "concurrency", help: "Jobs run at once (default 10)")
    var concurrency: Int?
  }

  var help: String { "Run background jobs (tracker syncs, cleanup) and the scheduler" }

  func run(using context: CommandContext, signature: Signature) async throws {
    let app = context.application
    try await Migrate.run(app)
    let queues = (signature.queues ?? "").split(separator: ",")
      .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    try await Self.group(
      app, queues: queues, concurrency: signature.concurrency ?? 10,
      signals: [.sigterm, .sigint]
    ).run()
  }

  /// The worker and the scheduler as one group that drains on `signals`.
  static func group(
    _ app: Application, queues: [String], concurrency: Int, signals: [UnixSignal]
  ) -> ServiceGroup {
    let logger = Logger(label: "promptsmith.worker")
    return ServiceGroup(
      services: services(app, queues: queues, concurrency: concurrency, logger: logger),
      gracefulShutdownSignals: signals, logger: logger)
  }

  /// A worker on `queues` and the scheduler. With no queues named, webhook deliveries get a
  /// worker of their own, so that receivers that answer slowly never hold up syncs.
  static func services(_ app: Application, queues: [String], concurrency: Int, logger: Logger)
    -> [any Service]
  {
    let workers: [any Service] =
      queues.isEmpty
      ? [
        app.jobs.worker(
          queues: [JobQueue.defaultQueueName], concurrency: concurrency, logger: logger),
        app.jobs.worker(
          queues: [TemplateEvents.queueName], concurrency: Self.deliveryConcurrency,
          logger: logger),
      ]
      : [app.jobs.worker(queues: queues, concurrency: concurrency, logger: logger)]
    return workers + [app.jobs.scheduler(logger: logger)]
  }

  /// Webhook deliveries at once, each bounded by `WEBHOOK_TIMEOUT_SECONDS`.
  static let deliveryConcurrency = 8
}
