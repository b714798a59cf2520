import Foundation
import ServiceLifecycle
import Vapor

/// Runs a worker inside `serve` (the default on SQLite, so one process does everything), and
/// drains it when the server shuts down.
final class EmbeddedWorker: LifecycleHandler, @unchecked Sendable {
  private let lock = NSLock()
  private var group: ServiceGroup?
  private var task: Task<Void, any Error>?

  func didBootAsync(_ app: Application) async throws {
    let command = app.environment.arguments.dropFirst().first
    guard command == nil || command == "serve", app.appConfig.runsWorkerInServe else { return }
    start(app)
  }

  /// Runs the worker and the scheduler until `shutdownAsync`.
  func start(_ app: Application) {
    let group = WorkerCommand.group(app, queues: [], concurrency: 10, signals: [])
    lock.withLock {
      self.group = group
      self.task = Task { try await group.run() }
    }
    app.logger.info("Worker running inside serve")
  }

  func shutdownAsync(_ app: Application) async {
    let (group, task) = lock.withLock { (self.group, self.task) }
    await group?.triggerGracefulShutdown()
    _ = try? await task?.value
  }
}
