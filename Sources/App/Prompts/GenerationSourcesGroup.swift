import Fluent
import Foundation
import SQLKit

/// On PostgreSQL, the reads of concurrent generations (each a `SessionAndGenerationSources`,
/// read with the caller's session in `RequireRole`) in groups: one statement, one bind, one
/// executor start and one round trip for what arrived while the group before it was read
/// (docs/performance.md, round 15). A group of one is the generation's own statement.
typealias GenerationSourcesGroup = StatementGroup<SessionAndGenerationSources, GroupedSourcesRead>

/// A generation's reads in a group.
enum GroupedSourcesRead: Sendable {
  /// The rows of the session's statement, then the issue's and the template's.
  case rows([[any SQLRow]])
  /// Not read by the group, whose statement failed as a whole: read alone, for its own outcome.
  case alone
  /// A group of one: its own statement's error.
  case failed(any Error)
}

extension GenerationSourcesGroup {
  /// Groups of at most this many, as for the generations' writes.
  static let largestRead = 32

  /// The rows of `read`'s three statements, read in a group with the generations that ask at
  /// the same time.
  func rows(of read: SessionAndGenerationSources, on database: any Database) async throws
    -> [[any SQLRow]]
  {
    switch await submit(read, run: { reads in await Self.read(reads, on: database) }) {
    case .rows(let rows): return rows
    case .failed(let error): throw error
    case .alone: return try read.split(try await database.firstRow(read))
    }
  }

  /// Reads a group: one statement for several generations' reads, their own for one.
  static func read(_ reads: [SessionAndGenerationSources], on database: any Database) async
    -> [GroupedSourcesRead]
  {
    guard reads.count > 1 else {
      do {
        return [.rows(try reads[0].split(try await database.firstRow(reads[0])))]
      } catch {
        return [.failed(error)]
      }
    }
    do {
      var rows: [Int: any SQLRow] = [:]
      for row in try await database.rows(SessionAndGenerationSourcesGroup(reads: reads)) {
        rows[try row.decode(column: "position", as: Int.self)] = row
      }
      return try reads.indices.map { .rows(try reads[$0].split(rows[$0 + 1])) }
    } catch {
      // A lost connection, a cancelled statement: each read alone gets its own outcome.
      database.logger.debug(
        "A group of generation reads failed; each is read alone",
        metadata: ["reads": .stringConvertible(reads.count), "error": "\(error)"])
      return Array(repeating: .alone, count: reads.count)
    }
  }
}

/// `SessionAndGenerationSources` for several generations in one statement: the same three
/// statements, joined laterally to an `unnest` of the generations' values (one row per
/// generation, numbered `position` from 1), each `$n` of theirs written as the row's column `pn`.
/// PostgreSQL runs each statement as a nested loop over the rows, with the same index look-ups.
struct SessionAndGenerationSourcesGroup: FixedStatement {
  static let sql = """
    SELECT k.position, session_row.*, issue_row.*, template_row.*
    FROM unnest(\(parameters.map { "$" + String($0) }.joined(separator: ", ")))
      WITH ORDINALITY AS k(\(parameters.map { "p" + String($0) }.joined(separator: ", ")), position)
    \(SessionAndGenerationSources.laterals(parameter: { "k.p" + String($0) }))
    """

  private static let parameters = 1...SessionAndGenerationSources.valueCount

  let reads: [SessionAndGenerationSources]

  /// For each of a read's values, an array of that value of every read, in order.
  var values: [BoundValue] {
    let rows = reads.map(\.values)
    return Self.parameters.map { number in BoundValue(column: rows.map { $0[number - 1] }) }
  }
}

extension BoundValue {
  /// One array of the values of a column, all of one kind (the same value of one statement's
  /// rows). Arrays of arrays are not a PostgreSQL value.
  init(column values: [BoundValue]) {
    switch values.first {
    case .uuid, nil:
      self = .uuids(values.map { if case .uuid(let value) = $0 { value } else { Self.mixed($0) } })
    case .text:
      self = .texts(values.map { if case .text(let value) = $0 { value } else { Self.mixed($0) } })
    case .int:
      self = .ints(values.map { if case .int(let value) = $0 { value } else { Self.mixed($0) } })
    case .date:
      self = .dates(values.map { if case .date(let value) = $0 { value } else { Self.mixed($0) } })
    case .bool:
      self = .bools(values.map { if case .bool(let value) = $0 { value } else { Self.mixed($0) } })
    case .uuids, .texts, .ints, .dates, .bools:
      preconditionFailure("a column of arrays cannot be bound as an array")
    }
  }

  private static func mixed<T>(_ value: BoundValue) -> T {
    preconditionFailure("a column's values are of one kind; found \(value)")
  }
}
