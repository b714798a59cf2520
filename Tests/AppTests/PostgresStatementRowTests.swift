import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import App

/// `PostgresStatementRow` decodes the types `FixedStatement`s read straight from the cell; every
/// value must come out as PostgresKit's row gives it, and every refusal must be a refusal there.
@Suite struct PostgresStatementRowTests {
  /// Text, identifiers, integers of each width, booleans, timestamps, each with a null; a
  /// number PostgresKit reads as a `Double` from `numeric`, an array and JSON, which it decodes.
  struct Columns: FixedStatement {
    static let sql = """
      SELECT $1 AS text, CAST(NULL AS TEXT) AS no_text, CAST($2 AS UUID) AS id,
        CAST(NULL AS UUID) AS no_id, CAST(7 AS SMALLINT) AS small, CAST(70000 AS INTEGER) AS medium,
        CAST(9000000000 AS BIGINT) AS big, CAST(NULL AS BIGINT) AS no_big, TRUE AS yes,
        CAST(NULL AS BOOLEAN) AS no_bool, CAST($3 AS TIMESTAMPTZ) AS at,
        CAST(NULL AS TIMESTAMPTZ) AS no_at, CAST(2.5 AS NUMERIC) AS ratio,
        ARRAY['a', 'b'] AS letters, CAST('{"k": 1}' AS JSONB) AS object, 'varchar' :: VARCHAR AS name
      """
    static let sqliteSQL = "SELECT 1"
    let values: [BoundValue]
  }

  @Test(arguments: TestDatabase.all)
  func everyColumnDecodesAsPostgresKitDecodesIt(_ database: TestDatabase) async throws {
    guard database == .postgres else { return }
    try await withTestApp(database) { ctx in
      // setup: the same statement as our row and as PostgresKit's
      let id = UUID()
      let at = Date(timeIntervalSince1970: 1_790_000_000.25)
      let statement = Columns(values: [.text("zwölf ✓"), .uuid(id), .date(at)])
      let row = try #require(try await ctx.app.db.firstRow(statement))
      let reference = try #require(
        try await ctx.app.db.sql.raw(statement.queryString(dialect: .postgres)).first())
      #expect(row is PostgresStatementRow)
      #expect(!(reference is PostgresStatementRow))
      #expect(row.allColumns == reference.allColumns)
      // act, check: each column as each type a statement reads it as
      func same<T: Decodable & Equatable>(_ column: String, _ type: T.Type) throws {
        let ours = Result(catching: { try row.decode(column: column, as: T.self) })
        let theirs = Result(catching: { try reference.decode(column: column, as: T.self) })
        switch (ours, theirs) {
        case (.success(let a), .success(let b)): #expect(a == b, "\(column) as \(T.self)")
        case (.failure, .failure): break
        default: Issue.record("\(column) as \(T.self): \(ours) against \(theirs)")
        }
      }
      for column in row.allColumns + ["absent"] {
        try same(column, String.self)
        try same(column, String?.self)
        try same(column, UUID.self)
        try same(column, UUID?.self)
        try same(column, Int.self)
        try same(column, Int?.self)
        try same(column, Bool.self)
        try same(column, Bool?.self)
        try same(column, Date.self)
        try same(column, Date?.self)
        try same(column, Double.self)
        try same(column, [String].self)
        #expect(row.contains(column: column) == reference.contains(column: column))
        #expect(try row.decodeNil(column: column) == reference.decodeNil(column: column))
      }
      // The values themselves, so that "both failed" cannot pass for both decoded.
      #expect(try row.decode(column: "text", as: String.self) == "zwölf ✓")
      #expect(try row.decode(column: "id", as: UUID.self) == id)
      #expect(try row.decode(column: "big", as: Int.self) == 9_000_000_000)
      #expect(try row.decode(column: "small", as: Int.self) == 7)
      #expect(try row.decode(column: "at", as: Date.self) == at)
      #expect(try row.decode(column: "no_at", as: Date?.self) == nil)
      #expect(try row.decode(column: "ratio", as: Double.self) == 2.5)
      #expect(try row.decode(column: "letters", as: [String].self) == ["a", "b"])
      #expect(try row.decode(column: "name", as: String.self) == "varchar")
    }
  }
}
