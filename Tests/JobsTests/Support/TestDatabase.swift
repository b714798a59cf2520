import Foundation
import Jobs
import JobsDrivers
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLiteKit
import Testing

/// The databases every database test runs on.
enum Backend: String, CustomTestStringConvertible, Sendable {
  case sqlite
  case postgres

  var testDescription: String { rawValue }

  /// SQLite always; PostgreSQL when `POSTGRES_TEST_URL` is set.
  static var available: [Backend] {
    postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
  }

  static var postgresURL: String? {
    ProcessInfo.processInfo.environment["POSTGRES_TEST_URL"].flatMap { $0.isEmpty ? nil : $0 }
  }
}

/// A fresh database with the `jobs` table: a WAL-mode SQLite file, or a new PostgreSQL
/// database created for the test and dropped after it.
struct TestDatabase: Sendable {
  let backend: Backend
  let sql: any SQLDatabase
  /// `--sqlite PATH` or `--postgres URL`, for the test worker process.
  let workerArguments: [String]
  /// The PostgreSQL URL of this test's database.
  let postgresURL: String?
  fileprivate let shutdown: @Sendable () async throws -> Void

  static let logger: Logger = {
    var logger = Logger(label: "jobs-tests")
    logger.logLevel = .critical
    return logger
  }()

  func makeQueue(
    configuration: JobsConfiguration = JobsConfiguration(pollInterval: .milliseconds(50)),
    clock: any JobClock = SystemJobClock(),
    backoff: JobBackoff = JobBackoff()
  ) throws -> JobQueue {
    try JobQueue(
      database: sql, configuration: configuration, clock: clock, backoff: backoff,
      logger: Self.logger)
  }
}

/// Runs `body` with a fresh database of `backend`, always cleaning up.
func withTestDatabase(
  _ backend: Backend, _ body: (TestDatabase) async throws -> Void
) async throws {
  let database: TestDatabase
  switch backend {
  case .sqlite: database = try await makeSQLite()
  case .postgres: database = try await makePostgres()
  }
  do {
    try await JobsSchema.create(on: database.sql)
    try await body(database)
  } catch {
    try? await database.shutdown()
    throw error
  }
  try await database.shutdown()
}

private func makeSQLite() async throws -> TestDatabase {
  let directory = FileManager.default.temporaryDirectory
    .appendingPathComponent("jobs-tests-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  let path = directory.appendingPathComponent("jobs.sqlite").path
  let pool = EventLoopGroupConnectionPool(
    source: SQLiteConnectionSource(configuration: .init(storage: .file(path: path))),
    maxConnectionsPerEventLoop: 4,
    requestTimeout: .seconds(30),
    logger: TestDatabase.logger,
    on: MultiThreadedEventLoopGroup.singleton)
  let pooled = PooledSQLiteDatabase(pool: pool, logger: TestDatabase.logger)
  let sql = pooled.sql()
  _ = try await sql.raw("PRAGMA journal_mode = WAL").all()
  return TestDatabase(
    backend: .sqlite, sql: sql, workerArguments: ["--sqlite", path], postgresURL: nil
  ) {
    try await pooled.pool.shutdownAsync()
    try? FileManager.default.removeItem(at: directory)
  }
}

private func makePostgres() async throws -> TestDatabase {
  guard let serverURL = Backend.postgresURL, var components = URLComponents(string: serverURL)
  else {
    throw TestSetupError("POSTGRES_TEST_URL is not set")
  }
  let name = "jobs_test_\(UUID().uuidString.prefix(8).lowercased())"
  let admin = try PostgresPool(url: serverURL, maxConnections: 1)
  try await admin.sql.raw("CREATE DATABASE \(ident: name)").run()
  try await admin.close()
  components.path = "/\(name)"
  let url = components.string!
  let pool = try PostgresPool(url: url, maxConnections: 12)
  return TestDatabase(
    backend: .postgres, sql: pool.sql, workerArguments: ["--postgres", url], postgresURL: url
  ) {
    try await pool.close()
    let admin = try PostgresPool(url: serverURL, maxConnections: 1)
    try await admin.sql.raw("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)").run()
    try await admin.close()
  }
}

/// A pool of PostgreSQL connections to one database.
struct PostgresPool: @unchecked Sendable {
  let pool: EventLoopGroupConnectionPool<PostgresConnectionSource>

  init(url: String, maxConnections: Int) throws {
    pool = EventLoopGroupConnectionPool(
      source: PostgresConnectionSource(sqlConfiguration: try SQLPostgresConfiguration(url: url)),
      maxConnectionsPerEventLoop: maxConnections,
      requestTimeout: .seconds(30),
      logger: TestDatabase.logger,
      on: MultiThreadedEventLoopGroup.singleton)
  }

  var sql: any SQLDatabase {
    pool.database(logger: TestDatabase.logger).sql()
  }

  func close() async throws {
    try await pool.shutdownAsync()
  }
}

struct TestSetupError: Error, CustomStringConvertible {
  let description: String

  init(_ description: String) {
    self.description = description
  }
}
