import Foundation
import Logging
import ServiceLifecycle

/// Claims due jobs and runs their handlers, renewing leases, rescuing expired ones and
/// pruning old jobs; a swift-service-lifecycle `Service`.
///
/// On graceful shutdown (SIGTERM through a `ServiceGroup`) it stops claiming, lets running jobs
/// finish for up to ``JobWorkerOptions/shutdownTimeout``, then cancels the rest and releases
/// them to other workers. Cancelling its task does the same without the wait.
public final class JobWorker: Service, Sendable {
  /// The lease owner this worker writes on the jobs it claims.
  public var id: String { options.workerID }

  let queue: JobQueue
  let registry: JobRegistry
  let options: JobWorkerOptions
  let notifier: (any JobNotifier)?
  let metrics: any JobMetrics
  let logger: Logger

  let running = Locked([UUID: RunningJob]())
  let wake = WakeSignal()
  private let stopping = Locked(false)

  /// Creates a worker; nothing runs until ``run()``.
  public init(
    queue: JobQueue,
    registry: JobRegistry,
    options: JobWorkerOptions = JobWorkerOptions(),
    notifier: (any JobNotifier)? = nil,
    metrics: any JobMetrics = NoJobMetrics(),
    logger: Logger? = nil
  ) {
    self.queue = queue
    self.registry = registry
    self.options = options
    self.notifier = notifier
    self.metrics = metrics
    var logger = logger ?? queue.logger
    logger[metadataKey: "worker"] = .string(options.workerID)
    self.logger = logger
  }

  /// Runs until graceful shutdown or cancellation, then drains.
  public func run() async throws {
    let registration = queue.wakeups.register(queues: Set(options.queues), signal: wake)
    defer { queue.wakeups.unregister(registration) }
    logger.info(
      "job worker started",
      metadata: [
        "queues": .string(options.queues.isEmpty ? "*" : options.queues.joined(separator: ",")),
        "concurrency": .stringConvertible(options.concurrency),
      ])
    await withTaskGroup(of: Void.self) { background in
      background.addTask { await self.renewLeasesLoop() }
      background.addTask { await self.maintenanceLoop() }
      if let notifier {
        background.addTask { await self.listenLoop(notifier) }
      }
      await withGracefulShutdownHandler {
        await self.claimLoop()
      } onGracefulShutdown: {
        self.stop()
      }
      await self.drain()
      background.cancelAll()
    }
    logger.info("job worker stopped")
  }

  /// Stops claiming; ``run()`` then drains and returns. Graceful shutdown calls this.
  public func stop() {
    stopping.withLock { $0 = true }
    wake.signal()
  }

  var isStopping: Bool { stopping.withLock { $0 } || Task.isCancelled }

  var runningCount: Int { running.withLock { $0.count } }

  var pollInterval: Duration { options.pollInterval ?? queue.configuration.pollInterval }

  private func claimLoop() async {
    while !isStopping {
      let free = options.concurrency - runningCount
      if free > 0 {
        do {
          let jobs = try await queue.claim(limit: free, queues: options.queues, owner: id)
          for job in jobs { start(job) }
        } catch {
          logger.error("claiming jobs failed", metadata: ["error": "\(error)"])
        }
      }
      if isStopping { break }
      await wake.wait(upTo: pollInterval)
    }
  }

  /// Waits for running jobs up to the shutdown timeout, then gives up the rest.
  private func drain() async {
    let deadline = ContinuousClock.now + options.shutdownTimeout
    while runningCount > 0, !Task.isCancelled {
      let remaining = deadline - ContinuousClock.now
      guard remaining > .zero else { break }
      await wake.wait(upTo: min(remaining, .milliseconds(100)))
    }
    let left = running.withLock { Array($0.values) }
    guard !left.isEmpty else { return }
    for entry in left { entry.abandon() }
    do {
      let released = try await queue.release(owner: id)
      logger.warning(
        "shutdown timeout: released running jobs",
        metadata: ["count": .stringConvertible(released)])
    } catch {
      logger.error(
        "releasing jobs failed; their leases will expire", metadata: ["error": "\(error)"])
    }
    let grace = ContinuousClock.now + .seconds(1)
    while runningCount > 0, !Task.isCancelled, ContinuousClock.now < grace {
      await wake.wait(upTo: .milliseconds(50))
    }
  }
}
