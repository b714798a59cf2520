import Fluent
import Foundation
import PostgresKit
import PostgresNIO
import SQLKit
import Synchronization

extension Database {
  /// The rows of a query built with SQLKit (a list whose filters vary, so not a
  /// `FixedStatement`). On PostgreSQL, when every bound value is of a type PostgresNIO binds
  /// itself (text, UUIDs, integers, booleans, timestamps, arrays of text or UUIDs), the query
  /// runs through PostgresNIO and its rows are `PostgresStatementRow`s: a page of 51 issues read
  /// through PostgresKit's rows was 23 % of the server's CPU under `GET /issues`
  /// (docs/performance.md, round 16). Any other value, and SQLite, go through SQLKit.
  func rows(of query: any SQLExpression) async throws -> [any SQLRow] {
    let sql = self.sql
    if let postgres = self as? any PostgresDatabase {
      var serializer = SQLSerializer(database: sql)
      query.serialize(to: &serializer)
      if let bindings = PostgresBindings(directly: serializer.binds) {
        let query = PostgresQuery(unsafeSQL: serializer.sql, binds: bindings)
        let logger = self.logger
        return try await PostgresStatementRow.rows(on: postgres) { connection in
          try await connection.query(query, logger: logger)
        }
      }
    }
    let rows = Mutex<[any SQLRow]>([])
    try await sql.execute(sql: query) { row in rows.withLock { $0.append(row) } }
    return rows.withLock { $0 }
  }
}

extension PostgresBindings {
  /// The values as PostgresNIO binds them, which is how PostgresKit binds these types too; nil
  /// when one is of another type (or a null, whose type a bare `nil` does not say).
  init?(directly values: [any Encodable & Sendable]) {
    self.init(capacity: values.count)
    for value in values {
      switch value {
      case let value as UUID: append(value)
      case let value as String: append(value)
      case let value as Int: append(value)
      case let value as Bool: append(value)
      case let value as Date: append(value)
      case let value as [String]: append(value)
      case let value as [UUID]: append(value)
      default: return nil
      }
    }
  }
}
