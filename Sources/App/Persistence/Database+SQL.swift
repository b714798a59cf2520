import Fluent
import Jobs
import SQLKit

extension Database {
  /// The database as SQLKit's. The one cast: every database the application opens comes from
  /// Fluent's SQLite or PostgreSQL driver (`AppConfig.database`), both SQL databases.
  var sql: any SQLDatabase { self as! any SQLDatabase }

  /// PostgreSQL or SQLite: the one place the application asks.
  var engine: DatabaseEngine { sql.engine }
}

extension SQLDatabase {
  /// PostgreSQL or SQLite, for a statement written through SQLKit. `try!`: the application
  /// opens no other database (`AppConfig.database`).
  var engine: DatabaseEngine { try! DatabaseEngine(self) }
}
