import Fluent
import Jobs
import SQLKit

extension Database {
  /// The database as SQLKit's: every database the application opens comes from Fluent's SQLite
  /// or PostgreSQL driver, both SQL databases, so anything else is a programming error.
  var sql: any SQLDatabase {
    guard let sql = self as? any SQLDatabase else {
      preconditionFailure("\(type(of: self)) is not an SQL database")
    }
    return sql
  }

  /// PostgreSQL or SQLite: the one place the application asks.
  var engine: DatabaseEngine {
    do {
      return try DatabaseEngine(sql)
    } catch {
      preconditionFailure(error.description)
    }
  }
}

extension SQLDatabase {
  /// PostgreSQL or SQLite, for a statement written through SQLKit.
  var engine: DatabaseEngine {
    do {
      return try DatabaseEngine(self)
    } catch {
      preconditionFailure(error.description)
    }
  }
}
