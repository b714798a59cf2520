import Foundation
import Prometheus

/// Request counts and latency histograms by route and status, plus process metrics, kept in
/// one Prometheus registry per application.
final class HTTPMetrics: Sendable {
  let registry: PrometheusCollectorRegistry
  private let startTime = Date()
  static let buckets: [Duration] = [
    .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1),
    .milliseconds(2.5), .milliseconds(5), .milliseconds(10), .milliseconds(25),
    .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
    .seconds(2.5), .seconds(5), .seconds(10),
  ]

  init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
    self.registry = registry
  }

  // MetricNameDescriptor holds only strings but is not marked Sendable upstream.
  nonisolated(unsafe) private static let requests = MetricNameDescriptor(
    metricName: "http_requests", unitName: "total", helpText: "HTTP requests by route and status")
  nonisolated(unsafe) private static let duration = MetricNameDescriptor(
    metricName: "http_request_duration", unitName: "seconds",
    helpText: "HTTP request latency by route")
  nonisolated(unsafe) private static let serverErrors = MetricNameDescriptor(
    metricName: "http_server_errors", unitName: "total", helpText: "Responses with a 5xx status")
  nonisolated(unsafe) private static let clientErrors = MetricNameDescriptor(
    metricName: "http_client_errors", unitName: "total", helpText: "Responses with a 4xx status")

  func record(method: String, route: String, status: Int, duration: Duration) {
    let labels = [("method", method), ("route", route), ("status", String(status))]
    registry.makeCounter(descriptor: Self.requests, labels: labels).increment()
    registry.makeDurationHistogram(
      descriptor: Self.duration, labels: [("method", method), ("route", route)],
      buckets: Self.buckets
    ).record(duration)
    if status >= 500 {
      registry.makeCounter(descriptor: Self.serverErrors, labels: labels).increment()
    } else if status >= 400 {
      registry.makeCounter(descriptor: Self.clientErrors, labels: labels).increment()
    }
  }

  private func gauge(_ name: String, _ unit: String, _ help: String) -> Gauge {
    registry.makeGauge(
      descriptor: MetricNameDescriptor(
        namespace: "process", metricName: name, unitName: unit, helpText: help))
  }

  /// The exposition text, with process metrics read at scrape time.
  func exposition() -> String {
    let process = ProcessStats.read()
    gauge("resident_memory", "bytes", "Resident memory size").set(Double(process.residentBytes))
    gauge("virtual_memory", "bytes", "Virtual memory size").set(Double(process.virtualBytes))
    gauge("cpu_seconds", "total", "User and system CPU time").set(process.cpuSeconds)
    gauge("open", "fds", "Open file descriptors").set(Double(process.openFileDescriptors))
    gauge("start_time", "seconds", "Start time since the Unix epoch")
      .set(startTime.timeIntervalSince1970)
    return registry.emitToString()
  }
}

/// The figures Prometheus' process collector reports, read from `/proc` and `getrusage`.
struct ProcessStats {
  var residentBytes = 0
  var virtualBytes = 0
  var cpuSeconds = 0.0
  var openFileDescriptors = 0

  static func read() -> ProcessStats {
    var stats = ProcessStats()
    let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
    if let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) {
      let fields = statm.split(separator: " ").compactMap { Int($0) }
      if fields.count >= 2 {
        stats.virtualBytes = fields[0] * pageSize
        stats.residentBytes = fields[1] * pageSize
      }
    }
    var usage = rusage()
    if getrusage(RUSAGE_SELF.rawValue, &usage) == 0 {
      stats.cpuSeconds =
        Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }
    stats.openFileDescriptors =
      (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
    return stats
  }
}
