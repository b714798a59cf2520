import SQLKit

/// The two databases the queue speaks to, told apart by `database.dialect.name`.
enum JobsDialect: Sendable, Equatable {
  case postgres
  case sqlite

  init(_ database: any SQLDatabase) throws {
    switch database.dialect.name {
    case "postgresql": self = .postgres
    case "sqlite": self = .sqlite
    default: throw UnsupportedDatabaseError(dialect: database.dialect.name)
    }
  }
}

/// The queue runs on PostgreSQL and SQLite only.
public struct UnsupportedDatabaseError: Error, CustomStringConvertible {
  /// The dialect name the database reported.
  public let dialect: String

  public var description: String { "the job queue does not support the \(dialect) dialect" }
}
