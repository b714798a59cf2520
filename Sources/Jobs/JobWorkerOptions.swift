import Foundation

/// How one worker runs: which queues, how many jobs at once, how it waits and stops.
public struct JobWorkerOptions: Sendable {
  /// The queues to take jobs from; empty means every queue.
  public var queues: [String]
  /// How many jobs run at once.
  public var concurrency: Int
  /// How often an idle worker looks for due jobs; `nil` takes the configuration's.
  public var pollInterval: Duration?
  /// On shutdown, how long running jobs may take to finish before they are cancelled and
  /// released to other workers.
  public var shutdownTimeout: Duration
  /// How often the rescuer looks for expired leases; `nil` means a quarter of the lease.
  public var rescueInterval: Duration?
  /// How often finished jobs past retention are pruned; `nil` turns pruning off here.
  public var pruneInterval: Duration?
  /// The lease owner written on claimed jobs; unique per worker.
  public var workerID: String

  /// Options; by default all queues, 10 jobs at once, 25 s to finish on shutdown (inside
  /// Kubernetes' default 30 s grace period), pruning every 10 minutes.
  public init(
    queues: [String] = [],
    concurrency: Int = 10,
    pollInterval: Duration? = nil,
    shutdownTimeout: Duration = .seconds(25),
    rescueInterval: Duration? = nil,
    pruneInterval: Duration? = .seconds(600),
    workerID: String = JobWorkerOptions.makeWorkerID()
  ) {
    self.queues = queues
    self.concurrency = max(1, concurrency)
    self.pollInterval = pollInterval
    self.shutdownTimeout = shutdownTimeout
    self.rescueInterval = rescueInterval
    self.pruneInterval = pruneInterval
    self.workerID = workerID
  }

  /// `host:pid:random`, readable in the dashboard and unique across restarts.
  public static func makeWorkerID() -> String {
    let host = ProcessInfo.processInfo.hostName
    let pid = ProcessInfo.processInfo.processIdentifier
    let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
    return "\(host):\(pid):\(suffix)"
  }
}
