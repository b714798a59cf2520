// A worker process for the queue's crash tests: runs `TestJobHandler` jobs on a database
// until killed. Usage: jobs-test-worker (--sqlite PATH | --postgres URL) --worker-id ID
//   [--lease-seconds N]
import Foundation
import Jobs
import JobsDrivers
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLiteKit
import ServiceLifecycle

struct Arguments {
  var sqlitePath: String?
  var postgresURL: String?
  var workerID = JobWorkerOptions.makeWorkerID()
  var leaseSeconds = 30

  init(_ arguments: [String]) throws {
    var iterator = arguments.makeIterator()
    while let name = iterator.next() {
      guard let value = iterator.next() else { throw UsageError(message: "\(name) needs a value") }
      switch name {
      case "--sqlite": sqlitePath = value
      case "--postgres": postgresURL = value
      case "--worker-id": workerID = value
      case "--lease-seconds": leaseSeconds = Int(value) ?? leaseSeconds
      default: throw UsageError(message: "unknown option \(name)")
      }
    }
    if (sqlitePath == nil) == (postgresURL == nil) {
      throw UsageError(message: "give exactly one of --sqlite PATH and --postgres URL")
    }
  }
}

struct UsageError: Error {
  let message: String
}

let arguments = try Arguments(Array(CommandLine.arguments.dropFirst()))
var logger = Logger(label: "jobs-test-worker")
logger.logLevel = .warning
let database: any SQLDatabase
if let path = arguments.sqlitePath {
  let pool = EventLoopGroupConnectionPool(
    source: SQLiteConnectionSource(configuration: .init(storage: .file(path: path))),
    maxConnectionsPerEventLoop: 4, requestTimeout: .seconds(30), logger: logger,
    on: MultiThreadedEventLoopGroup.singleton)
  database = PooledSQLiteDatabase(pool: pool, logger: logger).sql()
} else {
  let pool = EventLoopGroupConnectionPool(
    source: PostgresConnectionSource(
      sqlConfiguration: try SQLPostgresConfiguration(url: arguments.postgresURL!)),
    maxConnectionsPerEventLoop: 4, logger: logger, on: MultiThreadedEventLoopGroup.singleton)
  database = pool.database(logger: logger).sql()
}
let queue = try JobQueue(
  database: database,
  configuration: JobsConfiguration(
    leaseDuration: .seconds(arguments.leaseSeconds), pollInterval: .milliseconds(50)),
  logger: logger)
var registry = JobRegistry()
registry.register(.test, handler: TestJobHandler())
let worker = JobWorker(
  queue: queue, registry: registry, options: JobWorkerOptions(workerID: arguments.workerID),
  logger: logger)
let group = ServiceGroup(
  services: [worker], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
FileHandle.standardOutput.write(Data("ready\n".utf8))
try await group.run()
