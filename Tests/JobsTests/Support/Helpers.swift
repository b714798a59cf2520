import Foundation
import Jobs
import Logging
import ServiceLifecycle
import Testing

/// Polls `condition` every 20 ms until it holds or `timeout` passes.
func eventually(
  timeout: Duration = .seconds(30),
  _ message: @autoclosure () -> String = "condition",
  sourceLocation: SourceLocation = #_sourceLocation,
  _ condition: () async throws -> Bool
) async throws {
  let deadline = ContinuousClock.now + timeout
  while ContinuousClock.now < deadline {
    if try await condition() { return }
    try await Task.sleep(for: .milliseconds(20))
  }
  Issue.record("timed out waiting for \(message())", sourceLocation: sourceLocation)
  throw TestSetupError("timed out waiting for \(message())")
}

/// Counts handler runs by job id.
actor RunLog {
  private(set) var runs: [UUID: Int] = [:]
  private(set) var order: [UUID] = []

  func record(_ id: UUID) {
    runs[id, default: 0] += 1
    order.append(id)
  }

  var total: Int { runs.values.reduce(0, +) }
}

/// Counts events by name.
actor Tally {
  private(set) var counts: [String: Int] = [:]

  func record(_ name: String) {
    counts[name, default: 0] += 1
  }
}

/// Runs services in a `ServiceGroup` (no signal handling) for the duration of `body`, then
/// shuts them down gracefully and waits for them.
func withServices(
  _ services: [any Service], _ body: (ServiceGroup) async throws -> Void
) async throws {
  let group = ServiceGroup(
    configuration: ServiceGroupConfiguration(services: services, logger: TestDatabase.logger))
  try await withThrowingTaskGroup(of: Void.self) { tasks in
    tasks.addTask { try await group.run() }
    do {
      try await body(group)
    } catch {
      await group.triggerGracefulShutdown()
      try? await tasks.waitForAll()
      throw error
    }
    await group.triggerGracefulShutdown()
    try await tasks.waitForAll()
  }
}

/// A registry with the test handler under ``JobKind/test``.
func testRegistry(onSuccess: @escaping @Sendable (JobRecord) async -> Void = { _ in })
  -> JobRegistry
{
  var registry = JobRegistry()
  registry.register(.test, handler: TestJobHandler(onSuccess: onSuccess))
  return registry
}

/// The job's current row.
func reload(_ queue: JobQueue, _ id: UUID) async throws -> JobRecord {
  try #require(try await queue.job(id: id))
}
