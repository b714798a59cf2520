import Fluent
import Foundation
import PostgresKit
import SQLKit
import Testing
import VaporTesting

@testable import App

/// `FixedStatement`: the same `$n` text on both databases, a named prepared statement on
/// PostgreSQL.
@Suite struct FixedStatementTests {
  /// Eleven values, `$11` before `$1`, `$2` twice, and nulls of each kind.
  struct Echo: FixedStatement {
    static let sql = """
      SELECT CAST($11 AS BIGINT) AS eleven, CAST($1 AS BIGINT) AS one, $2 AS two, $2 AS again,
        $3 AS missing, $4 AS id, $5 AS at, $6 AS flag, $7 AS no_id, $8 AS no_at, $9 AS no_flag,
        CAST($10 AS BIGINT) AS no_number
      """
    let values: [BoundValue]
  }

  @Test(arguments: TestDatabase.all)
  func valuesAreBoundByTheirNumber(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let id = UUID()
      let at = Date(timeIntervalSince1970: 1_790_000_000)
      let row = try #require(
        try await ctx.app.db.firstRow(
          Echo(values: [
            .int(1), .text("two's"), .text(nil), .uuid(id), .date(at), .bool(true), .uuid(nil),
            .date(nil), .bool(nil), .int(nil), .int(11),
          ])))
      #expect(try row.decode(column: "eleven", as: Int.self) == 11)
      #expect(try row.decode(column: "one", as: Int.self) == 1)
      #expect(try row.decode(column: "two", as: String.self) == "two's")
      #expect(try row.decode(column: "again", as: String.self) == "two's")
      #expect(try row.decodeNil(column: "missing"))
      #expect(try row.decode(column: "id", as: UUID.self) == id)
      #expect(try row.decode(column: "at", as: Date.self) == at)
      #expect(try row.decode(column: "flag", as: Bool.self))
      for column in ["no_id", "no_at", "no_flag", "no_number"] {
        #expect(try row.decodeNil(column: column), "\(column)")
      }
    }
  }

  /// The point of it all: PostgreSQL parses the statement once per connection and then only
  /// binds and executes it (`pg_prepared_statements` lists the session's named statements).
  /// One value, typed only by what is bound.
  struct Untyped: FixedStatement {
    static let sql = "SELECT $1 AS value"
    let value: Int?
    var values: [BoundValue] { [.int(value)] }
  }

  /// A statement first run with a null is prepared with the null's type, not with `unknown`
  /// (which PostgreSQL would take as text, and the number bound next would not decode).
  @Test(arguments: TestDatabase.all)
  func aNullPreparesTheStatementWithItsType(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let first = try #require(try await ctx.app.db.firstRow(Untyped(value: nil)))
      #expect(try first.decodeNil(column: "value"))
      for number in [5, -7, 1 << 40] {
        let row = try #require(try await ctx.app.db.firstRow(Untyped(value: number)))
        #expect(try row.decode(column: "value", as: Int.self) == number)
      }
    }
  }

  @Test func postgresPreparesAStatementOncePerConnection() async throws {
    guard TestDatabase.all.contains(.postgres) else { return }
    try await withTestApp(.postgres) { ctx in
      let name = String(reflecting: SessionLookup.Statement.self)
      let counts = try await ctx.app.db.transaction { transaction in
        for _ in 0..<3 {
          _ = try await transaction.rows(
            SessionLookup.Statement(userID: UUID(), familyID: UUID()))
        }
        return try await transaction.sql.raw(
          """
          SELECT generic_plans + custom_plans AS executions FROM pg_prepared_statements
          WHERE name = \(bind: name)
          """
        ).all().map { try $0.decode(column: "executions", as: Int.self) }
      }
      #expect(counts == [3])
    }
  }
}

extension BoundValue {
  /// The value as a SQL literal, for `EXPLAIN EXECUTE` in tests.
  var literal: String {
    switch self {
    case .uuid(let value): value.map { "'\($0.uuidString)'" } ?? "NULL"
    case .text(let value):
      value.map { "'\($0.replacingOccurrences(of: "'", with: "''"))'" } ?? "NULL"
    case .int(let value): value.map(String.init) ?? "NULL"
    case .date(let value):
      value.map { "to_timestamp(\($0.timeIntervalSince1970))" } ?? "NULL"
    case .bool(let value): value.map { $0 ? "TRUE" : "FALSE" } ?? "NULL"
    case .uuids(let values): Self.array(values.map(BoundValue.uuid), type: "uuid")
    case .texts(let values): Self.array(values.map(BoundValue.text), type: "text")
    case .ints(let values): Self.array(values.map(BoundValue.int), type: "bigint")
    case .dates(let values): Self.array(values.map(BoundValue.date), type: "timestamptz")
    case .bools(let values): Self.array(values.map(BoundValue.bool), type: "boolean")
    }
  }

  private static func array(_ elements: [BoundValue], type: String) -> String {
    "ARRAY[\(elements.map(\.literal).joined(separator: ", "))]::\(type)[]"
  }
}
