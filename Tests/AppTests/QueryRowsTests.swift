import Foundation
import PostgresNIO
import SQLKit
import Synchronization
import Testing
import VaporTesting

@testable import App

/// `Database.rows(of:)` reads a SQLKit query's rows through PostgresNIO on PostgreSQL when it can
/// bind every value itself: the rows must be the ones SQLKit reads, value for value.
@Suite struct QueryRowsTests {
  /// A select of each bound value as a column of its own.
  static func select(_ values: [(String, any Encodable & Sendable)], on sql: any SQLDatabase)
    -> any SQLExpression
  {
    var query = sql.select()
    for (name, value) in values {
      query = query.column(SQLAlias(SQLBind(value), as: SQLIdentifier(name)))
    }
    return query.query
  }

  @Test(arguments: TestDatabase.all)
  func theRowsAreSQLKitsRowsValueForValue(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      // setup: a value of every type PostgresNIO binds itself, then one it does not
      let id = UUID()
      let at = Date(timeIntervalSince1970: 1_790_000_000)
      let direct: [(String, any Encodable & Sendable)] = [
        ("id", id), ("name", "zwölf ✓"), ("count", 42), ("flag", true), ("at", at),
      ]
      let db = ctx.app.db
      for values in [direct, direct + [("ratio", 2.5)], direct + [("missing", String?.none)]] {
        let query = Self.select(values, on: db.sql)
        // act
        let rows = try await db.rows(of: query)
        let collected = Mutex<[any SQLRow]>([])
        try await db.sql.execute(sql: query) { row in collected.withLock { $0.append(row) } }
        let reference = collected.withLock { $0 }
        // check
        let row = try #require(rows.first)
        let expected = try #require(reference.first)
        #expect(rows.count == 1)
        #expect(
          row is PostgresStatementRow == (database == .postgres && values.count == direct.count))
        #expect(try row.decode(column: "id", as: UUID.self) == id)
        #expect(
          try row.decode(column: "name", as: String.self)
            == expected.decode(column: "name", as: String.self))
        #expect(try row.decode(column: "count", as: Int.self) == 42)
        #expect(
          try row.decode(column: "flag", as: Bool.self)
            == expected.decode(column: "flag", as: Bool.self))
        if database == .postgres {
          #expect(try row.decode(column: "at", as: Date.self) == at)
        }
      }
    }
  }

  @Test func onlyTheTypesPostgresNIOBindsItselfAreBoundDirectly() {
    let bound: [[any Encodable & Sendable]] = [
      [UUID()], ["text"], [7], [false], [Date()], [["a", "b"]], [[UUID()]],
    ]
    for values in bound {
      #expect(PostgresBindings(directly: values)?.count == 1, "\(values)")
    }
    let refused: [any Encodable & Sendable] = [2.5, Int32(7), String?.none, ["k": "v"], [1, 2]]
    for value in refused {
      #expect(PostgresBindings(directly: [UUID(), value]) == nil, "\(value)")
    }
  }
}
