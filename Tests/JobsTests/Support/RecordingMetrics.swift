import Foundation
import Jobs

/// Counts what a worker reports, by event name.
final class RecordingMetrics: JobMetrics, @unchecked Sendable {
  private let lock = NSLock()
  private var events: [String: Int] = [:]

  subscript(_ event: String) -> Int {
    lock.withLock { events[event, default: 0] }
  }

  private func add(_ event: String, _ count: Int = 1) {
    lock.withLock { events[event, default: 0] += count }
  }

  func jobStarted(queue: String, kind: JobKind) { add("started") }
  func jobSucceeded(queue: String, kind: JobKind, duration: TimeInterval) { add("succeeded") }
  func jobFailed(queue: String, kind: JobKind, duration: TimeInterval) { add("failed") }
  func jobDead(queue: String, kind: JobKind) { add("dead") }
  func jobsRescued(count: Int) { add("rescued", count) }
}
