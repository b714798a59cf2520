import Foundation
import Jobs
import Testing

@Suite struct CrashTests {
  /// The `jobs-test-worker` executable built beside the test bundle.
  static var workerExecutable: URL {
    if let path = ProcessInfo.processInfo.environment["JOBS_TEST_WORKER"] {
      return URL(fileURLWithPath: path)
    }
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    // On macOS the tests run inside `…/jobsPackageTests.xctest/Contents/MacOS`.
    while directory.path.contains(".xctest") { directory.deleteLastPathComponent() }
    return directory.appendingPathComponent("jobs-test-worker")
  }

  @Test(arguments: Backend.available)
  func jobOfAKilledWorkerIsRescuedAndCompletedByAnother(_ backend: Backend) async throws {
    try await withTestDatabase(backend) { database in
      // setup: a job that takes a minute, and a worker process with a 2 s lease
      let executable = Self.workerExecutable
      try #require(
        FileManager.default.isExecutableFile(atPath: executable.path),
        "build jobs-test-worker first (swift build): \(executable.path)")
      let queue = try database.makeQueue(
        configuration: JobsConfiguration(
          leaseDuration: .seconds(2), pollInterval: .milliseconds(50)))
      let job = try await queue.enqueue(
        .test, payload: TestJobHandler.Payload(sleepMilliseconds: 60_000)
      ).job
      let process = Process()
      process.executableURL = executable
      process.arguments =
        database.workerArguments + ["--worker-id", "doomed-worker", "--lease-seconds", "2"]
      process.standardOutput = FileHandle.nullDevice
      try process.run()
      defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

      // act: kill it in the middle of the job
      try await eventually(timeout: .seconds(30), "the process claimed the job") {
        let row = try await reload(queue, job.id)
        return row.state == .running && row.leaseOwner == "doomed-worker"
      }
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      #expect(process.terminationReason == .uncaughtSignal)
      #expect(try await reload(queue, job.id).state == .running)

      // A surviving worker rescues the job once the lease expires, and completes it.
      let runs = RunLog()
      var registry = JobRegistry()
      registry.register(.test) { job, _ in await runs.record(job.id) }
      let survivor = JobWorker(
        queue: queue, registry: registry,
        options: JobWorkerOptions(rescueInterval: .milliseconds(200), workerID: "survivor"))
      try await withServices([survivor]) { _ in
        try await eventually(timeout: .seconds(30), "rescued and completed") {
          try await reload(queue, job.id).state == .succeeded
        }
      }

      // check
      let row = try await reload(queue, job.id)
      #expect(row.attempt == 2)
      #expect(row.lastError?.contains("doomed-worker") == true)
      #expect(await runs.runs == [job.id: 1])
    }
  }
}
