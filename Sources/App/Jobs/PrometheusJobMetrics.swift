import Foundation
import Jobs
import Prometheus

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
