import Foundation
import SQLKit
import Vapor

/// The reads a route makes first, made on SQLite in the same reader job as its caller's
/// session (`RequireRole(_:readingWithSession:)`): one thread hand-over there and back instead
/// of two. An extra hand-over cost `POST /prompts/generate` 50–100 µs of CPU (a tenth) at 16
/// connections (per-thread CPU, alternated binaries, 2026-12-07).
///
/// Nothing changes for the caller: the session is checked first and refuses as before, the
/// request is then checked against the contract, and the route reads only rows whose
/// statements are exactly its own (`PrefetchedRows.rows(of:)`); any other it reads itself.
protocol SessionCompanionRead: Sendable {
  /// The statements the route will read for `request` in `companyID`, the company the access
  /// token names; nil when the request does not say (a body the contract check will refuse).
  func statements(for request: Request, companyID: UUID) -> [any FixedStatement]?
}

/// Rows read beside the session, for the route to take instead of reading them again.
struct PrefetchedRows: Sendable {
  private let read: [(statement: any FixedStatement, rows: [any SQLRow])]

  init(_ statements: [any FixedStatement], rows: [[any SQLRow]]) {
    read = Array(zip(statements, rows))
  }

  /// The rows of exactly these statements (the same statements with the same values), or nil.
  func rows(of statements: [any FixedStatement]) -> [[any SQLRow]]? {
    guard statements.count == read.count,
      zip(statements, read).allSatisfy({ $0.isSame(as: $1.statement) })
    else { return nil }
    return read.map(\.rows)
  }
}

struct PrefetchedRowsKey: StorageKey {
  typealias Value = PrefetchedRows
}

extension Request {
  /// The rows `RequireRole` read beside the session; nil when it read none.
  var prefetchedRows: PrefetchedRows? { storage[PrefetchedRowsKey.self] }
}
