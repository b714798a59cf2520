import Foundation
import Logging

extension JobWorker {
  /// Renews the leases of running jobs every third of the lease; a job no longer held
  /// (cancelled by an operator, or rescued after a stall) has its handler cancelled.
  func renewLeasesLoop() async {
    let interval = queue.configuration.leaseDuration / 3
    while !Task.isCancelled {
      try? await Task.sleep(for: interval)
      if Task.isCancelled { return }
      let local = running.withLock { Array($0.values) }
      guard !local.isEmpty else { continue }
      do {
        let held = try await queue.renewLeases(owner: id)
        for entry in local where !held.contains(entry.job.id) && !entry.isAbandoned {
          logger.warning(
            "job no longer held (cancelled or lease lost); cancelling its handler",
            metadata: ["job_id": .string(entry.job.id.uuidString.lowercased())])
          entry.abandon()
        }
      } catch {
        logger.warning("renewing leases failed", metadata: ["error": "\(error)"])
      }
    }
  }

  /// Rescues expired leases and prunes old jobs, each at its interval.
  func maintenanceLoop() async {
    let rescueInterval =
      options.rescueInterval ?? max(queue.configuration.leaseDuration / 4, .milliseconds(100))
    var lastPrune: ContinuousClock.Instant?
    while !Task.isCancelled {
      do {
        let rescued = try await queue.rescueExpiredLeases()
        if !rescued.isEmpty {
          metrics.jobsRescued(count: rescued.count)
          for job in rescued where job.state == .dead {
            metrics.jobDead(queue: job.queue, kind: job.kind)
          }
          logger.warning(
            "rescued jobs with expired leases",
            metadata: ["count": .stringConvertible(rescued.count)])
          wake.signal()
        }
      } catch {
        logger.warning("rescuing expired leases failed", metadata: ["error": "\(error)"])
      }
      if let pruneInterval = options.pruneInterval,
        lastPrune.map({ ContinuousClock.now - $0 >= pruneInterval }) ?? true
      {
        lastPrune = ContinuousClock.now
        do {
          let pruned = try await queue.prune()
          if pruned > 0 {
            logger.info("pruned finished jobs", metadata: ["count": .stringConvertible(pruned)])
          }
        } catch {
          logger.warning("pruning jobs failed", metadata: ["error": "\(error)"])
        }
      }
      try? await Task.sleep(for: rescueInterval)
    }
  }

  /// Wakes the claim loop on each `NOTIFY` for one of this worker's queues; listens again
  /// after a pause when the connection drops.
  func listenLoop(_ notifier: any JobNotifier) async {
    let queues = Set(options.queues)
    let wake = self.wake
    while !Task.isCancelled {
      do {
        try await notifier.listen(channel: JobQueue.notificationChannel) { queue in
          if queues.isEmpty || queues.contains(queue) { wake.signal() }
        }
      } catch {
        if Task.isCancelled { return }
        logger.warning("listening for new jobs failed", metadata: ["error": "\(error)"])
      }
      try? await Task.sleep(for: .seconds(1))
    }
  }
}
