import Foundation
import PostgresKit
import PostgresNIO
import SQLKit

/// A row of a `FixedStatement` on PostgreSQL. The types its statements read (text, uuids,
/// integers, booleans, timestamps, each optional or not) are decoded by PostgresNIO straight
/// from the cell; any other goes through PostgresKit's row as before. PostgresKit's
/// `decode(column:as:)` names a coding key by interpolating the column's name and index, and
/// casts the type to an existential of `PostgresDecodable` before it decodes, on every column:
/// 3.8 % of the server's CPU under generate on PostgreSQL (docs/performance.md, round 15).
struct PostgresStatementRow: SQLRow {
  let row: PostgresRow
  private let cells: PostgresRandomAccessRow

  init(_ row: PostgresRow) {
    self.row = row
    cells = row.makeRandomAccess()
  }

  var allColumns: [String] { cells.map(\.columnName) }

  func contains(column: String) -> Bool { cells.contains(column) }

  func decodeNil(column: String) throws -> Bool {
    !cells.contains(column) || cells[column].bytes == nil
  }

  func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
    if cells.contains(column), let value = try Self.decodedByCell(cells[column], as: D.self) {
      return value
    }
    return try row.sql().decode(column: column, as: D.self)
  }

  /// The cell decoded by PostgresNIO when `D` is one of the types PostgresKit would hand to
  /// PostgresNIO unchanged; nil for the others (PostgresKit reads a string from a Fluent enum's
  /// user-defined type, and a `Double` from `numeric`), which PostgresKit decodes.
  private static func decodedByCell<D>(_ cell: PostgresCell, as type: D.Type) throws -> D? {
    if D.self == String.self || D.self == String?.self {
      guard !cell.dataType.isUserDefined else { return nil }
      return D.self == String.self
        ? try cell.decode(String.self) as? D : try cell.decode(String?.self) as? D
    }
    if D.self == UUID.self { return try cell.decode(UUID.self) as? D }
    if D.self == UUID?.self { return try cell.decode(UUID?.self) as? D }
    if D.self == Int.self { return try cell.decode(Int.self) as? D }
    if D.self == Int?.self { return try cell.decode(Int?.self) as? D }
    if D.self == Bool.self { return try cell.decode(Bool.self) as? D }
    if D.self == Bool?.self { return try cell.decode(Bool?.self) as? D }
    if D.self == Date.self { return try cell.decode(Date.self) as? D }
    if D.self == Date?.self { return try cell.decode(Date?.self) as? D }
    return nil
  }
}

extension PostgresStatementRow {
  /// The rows `read` gets on one of `postgres`'s connections, read on that connection's event
  /// loop: a `FixedStatement`'s and a SQLKit query's run through PostgresNIO (`rows(of:)`).
  static func rows<Rows: AsyncSequence & SendableMetatype>(
    on postgres: any PostgresDatabase,
    _ read: @escaping @Sendable (PostgresConnection) async throws -> Rows
  ) async throws -> [any SQLRow]
  where Rows.Element == PostgresRow, Rows.AsyncIterator: SendableMetatype {
    try await postgres.withConnection { connection in
      connection.eventLoop.makeFutureWithTask {
        var rows: [any SQLRow] = []
        for try await row in try await read(connection) { rows.append(PostgresStatementRow(row)) }
        return rows
      }
    }.get()
  }
}
