import Foundation
import Logging
import SQLKit

/// The durable job queue on a PostgreSQL or SQLite database: enqueue, claim, complete, inspect.
///
/// A value type holding the database, settings and clock; copies share the in-process wake-ups,
/// so create one per database and hand it to workers, schedulers and routes.
public struct JobQueue: Sendable {
  /// The queue jobs go to unless the request names another.
  public static let defaultQueueName = "default"
  /// The PostgreSQL `NOTIFY` channel; the payload is the queue's name.
  public static let notificationChannel = "promptsmith_jobs"

  /// Where the jobs live.
  public let database: any SQLDatabase
  /// Lease, poll, attempts and retention.
  public let configuration: JobsConfiguration
  /// The time source for due times, leases, backoff and schedule slots.
  public let clock: any JobClock
  /// The retry delay policy.
  public let backoff: JobBackoff
  /// How long a SQLite writer waits for another process's write lock.
  public let busyTimeout: Duration
  /// Where the queue logs.
  public let logger: Logger
  /// The process's SQLite writer, when the queue shares its file with an application that has
  /// one: the queue's writes join its groups instead of contending for the file's lock.
  public let sqliteWriter: (any SQLiteWriteGroup)?

  let dialect: DatabaseEngine
  let wakeups = LocalWakeups()

  /// Creates a queue on `database`.
  ///
  /// - Throws: ``UnsupportedDatabaseError`` unless the database is PostgreSQL or SQLite.
  public init(
    database: any SQLDatabase,
    configuration: JobsConfiguration = JobsConfiguration(),
    clock: any JobClock = SystemJobClock(),
    backoff: JobBackoff = JobBackoff(),
    busyTimeout: Duration = .seconds(5),
    sqliteWriter: (any SQLiteWriteGroup)? = nil,
    logger: Logger = Logger(label: "promptsmith.jobs")
  ) throws {
    self.dialect = try DatabaseEngine(database)
    self.database = database
    self.configuration = configuration
    self.clock = clock
    self.backoff = backoff
    self.busyTimeout = busyTimeout
    self.logger = logger
    self.sqliteWriter = sqliteWriter
  }

  /// Runs a write statement: directly on PostgreSQL, through the process's single writer on
  /// SQLite.
  func write<Result: Sendable>(
    _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
  ) async throws -> Result {
    switch dialect {
    case .postgres:
      return try await body(database)
    case .sqlite:
      if let sqliteWriter {
        return try await sqliteWriter.write(body)
      }
      return try await SQLiteWriter.write(on: database, busyTimeout: busyTimeout, body)
    }
  }

  /// `write` for a read-then-write that must see no other writer in between: on SQLite, a
  /// transaction begun with `BEGIN IMMEDIATE` (the writer's groups are).
  func immediateWrite<Result: Sendable>(
    _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
  ) async throws -> Result {
    if dialect == .sqlite, sqliteWriter == nil {
      return try await SQLiteWriter.immediateTransaction(
        on: database, busyTimeout: busyTimeout, body)
    }
    return try await write(body)
  }

  /// Reads rows into job records.
  static func records(_ query: SQLQueryString, on database: any SQLDatabase) async throws
    -> [JobRecord]
  {
    try await database.raw(query).all().map(JobRecord.init(row:))
  }
}

extension SQLQueryString {
  /// `NULL` for `nil`, else a bound parameter.
  static func bindOrNull(_ value: (any Encodable & Sendable)?) -> SQLQueryString {
    guard let value else { return "NULL" }
    return "\(bind: value)"
  }

  /// A parenthesised list of quoted state names, e.g. `('available', 'retryable')`.
  static func states(_ states: [JobState]) -> SQLQueryString {
    SQLQueryString(
      "(" + states.map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")")
  }
}
