import Foundation
import Logging

extension JobWorker {
  /// Starts a claimed job on its own task.
  func start(_ job: JobRecord) {
    let entry = RunningJob(job)
    running.withLock { $0[job.id] = entry }
    metrics.jobStarted(queue: job.queue, kind: job.kind)
    Task {
      await self.execute(entry)
      _ = self.running.withLock { $0.removeValue(forKey: job.id) }
      self.wake.signal()
    }
  }

  private func execute(_ entry: RunningJob) async {
    let job = entry.job
    var logger = self.logger
    logger[metadataKey: "job_id"] = .string(job.id.uuidString.lowercased())
    logger[metadataKey: "job_kind"] = .string(job.kind.rawValue)
    logger[metadataKey: "attempt"] = .stringConvertible(job.attempt)
    let context = JobContext(queue: queue, logger: logger, workerID: id)
    let handler = registry.handler(for: job.kind)
    let started = ContinuousClock.now
    logger.debug("job started")
    // The handler runs on a task of its own so that cancelling it (lease lost, job cancelled,
    // shutdown timeout) never interrupts the bookkeeping below.
    let handlerTask = Task<Void, any Error> {
      guard let handler else { throw UnknownJobKindError(kind: job.kind) }
      try await handler.handle(job, context: context)
    }
    entry.attach(handlerTask)
    let result = await handlerTask.result
    let duration = (ContinuousClock.now - started).timeInterval
    if entry.isAbandoned {
      logger.info("job given up by this worker; outcome not recorded")
      return
    }
    switch result {
    case .success:
      let held = await recording(logger) { try await self.queue.complete(job, owner: self.id) }
      metrics.jobSucceeded(queue: job.queue, kind: job.kind, duration: duration)
      logger.debug(
        "job succeeded",
        metadata: [
          "duration": .stringConvertible(duration), "held": .stringConvertible(held ?? false),
        ])
    case .failure(let error):
      metrics.jobFailed(queue: job.queue, kind: job.kind, duration: duration)
      let outcome = await recording(logger) {
        try await self.queue.fail(
          job, owner: self.id, error: String(describing: error),
          permanent: error is PermanentJobError)
      }
      switch outcome {
      case .dead:
        metrics.jobDead(queue: job.queue, kind: job.kind)
        logger.error("job dead", metadata: ["error": "\(error)"])
      case .retry(let runAt):
        logger.warning(
          "job failed; will retry",
          metadata: ["error": "\(error)", "run_at": "\(runAt)"])
      case .notHeld, nil:
        break
      }
    }
  }

  /// Records an outcome, trying again briefly on a database error; if it still fails the lease
  /// expires and the job runs again (at least once).
  private func recording<Result: Sendable>(
    _ logger: Logger, _ body: @escaping @Sendable () async throws -> Result
  ) async -> Result? {
    for attempt in 1...3 {
      do {
        return try await body()
      } catch {
        logger.warning(
          "recording job outcome failed",
          metadata: ["error": "\(error)", "try": .stringConvertible(attempt)])
        try? await Task.sleep(for: .milliseconds(200 * attempt))
      }
    }
    return nil
  }
}

/// A claimed job whose kind has no handler in this worker's registry.
public struct UnknownJobKindError: Error, CustomStringConvertible {
  /// The kind without a handler.
  public var kind: JobKind

  public var description: String { "no handler registered for job kind \(kind.rawValue)" }
}
