import Fluent
import Foundation
import Jobs
import PostgresKit
import SQLKit

/// A statement whose text is the same for every request, with its values bound as `$1`, `$2`….
///
/// On PostgreSQL it runs as a named prepared statement: parsed and planned once per connection
/// and then only bound and executed. SQLKit sends every query as an unnamed statement, which
/// PostgreSQL parses, analyses and plans anew each time: 17 % of the whole machine's CPU under
/// `POST /prompts/generate` (`perf record -a`, bench/results/2026-11-26-profiles.md). On SQLite,
/// in process, the same text runs through SQLKit.
protocol FixedStatement: Sendable {
  /// The SQL for PostgreSQL, values as `$1`, `$2`… (each may appear more than once).
  static var sql: String { get }
  /// The SQL for SQLite, when it differs (row locks, for one); the same `$n` placeholders.
  static var sqliteSQL: String { get }
  /// The values of `$1`, `$2`…, in order. Each carries its PostgreSQL type, a null included,
  /// so the types a statement is prepared with are those of the values it binds: there is no
  /// second list of types to keep in step.
  var values: [BoundValue] { get }
  /// A few rows found by a key (a session, an issue): on SQLite, read on the event loop that
  /// asks, when it is one of the application's, rather than on a reader's thread
  /// (`SQLiteReaders`). Not for statements that scan or sum.
  static var readsByKey: Bool { get }
}

extension FixedStatement {
  static var sqliteSQL: String { sql }
  static var readsByKey: Bool { false }

  /// Whether `other` is this statement with the same values: it reads the same rows.
  func isSame(as other: any FixedStatement) -> Bool {
    type(of: other) == Self.self && other.values == values
  }
}

/// A value bound into a `FixedStatement`, with the Swift type SQLKit would bind for it.
enum BoundValue: Sendable, Equatable {
  case uuid(UUID?)
  case text(String?)
  case int(Int?)
  case date(Date?)
  case bool(Bool?)
  /// Arrays, one element per row of a statement that writes several (`unnest`); PostgreSQL
  /// only: SQLite has no array type.
  case uuids([UUID?])
  case texts([String?])
  case ints([Int?])
  case dates([Date?])
  case bools([Bool?])

  var postgresType: PostgresDataType {
    switch self {
    case .uuid: .uuid
    case .text: .text
    case .int: .int8
    case .date: .timestamptz
    case .bool: .bool
    case .uuids: .uuidArray
    case .texts: .textArray
    case .ints: .int8Array
    case .dates: .timestamptzArray
    case .bools: .boolArray
    }
  }

  /// Appends the value; a null keeps the value's type (PostgresNIO would bind an untyped
  /// null, and the statement would be prepared with whatever type its first use had).
  fileprivate func append(to bindings: inout PostgresBindings) {
    switch self {
    case .uuid(let value?): bindings.append(value)
    case .text(let value?): bindings.append(value)
    case .int(let value?): bindings.append(value)
    case .date(let value?): bindings.append(value)
    case .bool(let value?): bindings.append(value)
    case .uuid(nil), .text(nil), .int(nil), .date(nil), .bool(nil):
      bindings.append(PostgresData(type: postgresType, value: nil))
    case .uuids(let values): bindings.append(NullableArray(values))
    case .texts(let values): bindings.append(NullableArray(values))
    case .ints(let values): bindings.append(NullableArray(values))
    case .dates(let values): bindings.append(NullableArray(values))
    case .bools(let values): bindings.append(NullableArray(values))
    }
  }

  fileprivate func interpolate(into query: inout SQLQueryString) {
    switch self {
    case .uuid(let value): query.appendInterpolation(bind: value)
    case .text(let value): query.appendInterpolation(bind: value)
    case .int(let value): query.appendInterpolation(bind: value)
    case .date(let value): query.appendInterpolation(bind: value)
    case .bool(let value): query.appendInterpolation(bind: value)
    case .uuids, .texts, .ints, .dates, .bools:
      preconditionFailure("array values are bound on PostgreSQL only")
    }
  }
}

extension Database {
  /// The statement's rows.
  func rows(_ statement: some FixedStatement) async throws -> [any SQLRow] {
    if let postgres = self as? any PostgresDatabase {
      return try await Self.prepared(statement, on: postgres, logger: logger)
    }
    if let readers = SQLiteWriterSetup.writer(of: self)?.readers {
      return try await readers.rows(statement)
    }
    return try await self.sql.raw(statement.queryString(dialect: .sqlite)).all()
  }

  /// Both statements' rows: on PostgreSQL side by side on two connections (a generation's
  /// issue and template have a statement of their own there, `GenerationSourcesTogether`), on
  /// SQLite in one job of a reader.
  func rows(_ first: some FixedStatement, _ second: some FixedStatement) async throws
    -> ([any SQLRow], [any SQLRow])
  {
    if let readers = SQLiteWriterSetup.writer(of: self)?.readers {
      return try await readers.rows(first, second)
    }
    async let firstRows = rows(first)
    async let secondRows = rows(second)
    return try await (firstRows, secondRows)
  }

  /// The statement's first row, or nil.
  func firstRow(_ statement: some FixedStatement) async throws -> (any SQLRow)? {
    try await rows(statement).first
  }

  /// Runs the statement, ignoring any rows.
  func run(_ statement: some FixedStatement) async throws {
    _ = try await rows(statement)
  }

  private static func prepared<Statement: FixedStatement>(
    _ statement: Statement, on postgres: any PostgresDatabase, logger: Logger
  ) async throws -> [any SQLRow] {
    let values = statement.values
    var bindings = PostgresBindings(capacity: values.count)
    for value in values { value.append(to: &bindings) }
    let named = NamedStatement<Statement>(bindings: bindings)
    return try await PostgresStatementRow.rows(on: postgres) { connection in
      try await connection.execute(named, logger: logger)
    }
  }
}

extension FixedStatement {
  /// The statement as SQLKit's query string, for SQLite and for `EXPLAIN` in tests.
  func queryString(dialect: DatabaseEngine) -> SQLQueryString {
    let text = dialect == .sqlite ? Self.sqliteSQL : Self.sql
    let values = self.values
    var query = SQLQueryString("")
    // Over UTF-8 bytes, not `Character`s (grapheme clusters): this runs for every statement on
    // SQLite.
    let utf8 = text.utf8
    var literalStart = utf8.startIndex
    var index = utf8.startIndex
    while index < utf8.endIndex {
      guard utf8[index] == UInt8(ascii: "$") else {
        index = utf8.index(after: index)
        continue
      }
      var digitsEnd = utf8.index(after: index)
      var number = 0
      while digitsEnd < utf8.endIndex,
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(utf8[digitsEnd])
      {
        number = number * 10 + Int(utf8[digitsEnd] - UInt8(ascii: "0"))
        digitsEnd = utf8.index(after: digitsEnd)
      }
      guard digitsEnd > utf8.index(after: index) else {
        index = digitsEnd
        continue
      }
      precondition(
        (1...values.count).contains(number), "\(Self.self): $\(number) has no value")
      query.appendLiteral(String(text[literalStart..<index]))
      values[number - 1].interpolate(into: &query)
      literalStart = digitsEnd
      index = digitsEnd
    }
    query.appendLiteral(String(text[literalStart..<utf8.endIndex]))
    return query
  }
}

/// PostgresNIO's prepared statement for a `FixedStatement`: named after the statement's type,
/// prepared on each connection the first time that connection runs it.
private struct NamedStatement<Statement: FixedStatement>: PostgresPreparedStatement {
  /// `App.SessionLookup.Statement`, say: PostgreSQL cuts names at 63 bytes, and two statements
  /// cut to the same name would collide.
  static var name: String {
    let name = String(reflecting: Statement.self)
    assert(name.utf8.count <= 63, "\(name): a prepared statement's name has at most 63 bytes")
    return name
  }
  static var sql: String { Statement.sql }

  let bindings: PostgresBindings

  func makeBindings() -> PostgresBindings { bindings }
  func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
}
