import SQLKit

/// The two databases Promptsmith runs on, told apart once here by SQLKit's dialect name: the
/// job queue and the application share this type (the application depends on Jobs), so that a
/// statement that differs per database switches over a type, not over a string.
public enum DatabaseEngine: Sendable, Equatable {
  case postgres
  case sqlite

  /// The engine behind `database`; other dialects are refused.
  public init(_ database: any SQLDatabase) throws(UnsupportedDatabaseError) {
    switch database.dialect.name {
    case "postgresql": self = .postgres
    case "sqlite": self = .sqlite
    default: throw UnsupportedDatabaseError(dialect: database.dialect.name)
    }
  }
}

/// Promptsmith runs on PostgreSQL and SQLite only.
public struct UnsupportedDatabaseError: Error, CustomStringConvertible {
  /// The dialect name the database reported.
  public let dialect: String

  public var description: String { "Promptsmith does not support the \(dialect) dialect" }
}
