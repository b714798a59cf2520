import Foundation

/// Where a worker reports what it does; the App implements it with its Prometheus registry.
///
/// Suggested series: `jobs_started_total`, `jobs_succeeded_total`, `jobs_failed_total`,
/// `jobs_dead_total` (labels `queue`, `kind`), `jobs_duration_seconds` (histogram). Queue depth
/// and the oldest due job's age are read at scrape time with ``JobQueue/counts()`` and
/// ``JobQueue/oldestAvailableAge(queue:)``. Every method has an empty default.
public protocol JobMetrics: Sendable {
  /// A job attempt started.
  func jobStarted(queue: String, kind: JobKind)
  /// A job attempt succeeded after `duration` seconds.
  func jobSucceeded(queue: String, kind: JobKind, duration: TimeInterval)
  /// A job attempt failed after `duration` seconds (it will be retried or is dead).
  func jobFailed(queue: String, kind: JobKind, duration: TimeInterval)
  /// A job became dead: out of attempts, failed permanently, or rescued on its last attempt.
  func jobDead(queue: String, kind: JobKind)
  /// Jobs whose lease expired were taken back by the rescuer.
  func jobsRescued(count: Int)
}

extension JobMetrics {
  public func jobStarted(queue: String, kind: JobKind) {}
  public func jobSucceeded(queue: String, kind: JobKind, duration: TimeInterval) {}
  public func jobFailed(queue: String, kind: JobKind, duration: TimeInterval) {}
  public func jobDead(queue: String, kind: JobKind) {}
  public func jobsRescued(count: Int) {}
}

/// Metrics that go nowhere.
public struct NoJobMetrics: JobMetrics {
  /// Creates the sink.
  public init() {}
}
