import Fluent
import Foundation
import SQLKit

/// Generations stored together on PostgreSQL: one `StatementGroup` per process, each group one
/// `StoreGroupInOneStatement` (docs/performance.md, round 11).
typealias GenerationGroup = StatementGroup<
  GenerationService.StoreInOneStatement, GenerationService.GroupOutcome
>

extension GenerationGroup {
  /// Groups of at most this many: the statement's time grows with its rows, and a group
  /// waits for the one before it.
  static let largestGeneration = 32
}

/// What a generation's statement stored: its prompt, its version's number, and whether the
/// prompt was created by it.
struct StoredGeneration: Sendable {
  let promptID: UUID
  let version: Int
  let created: Bool

  init(row: any SQLRow) throws {
    promptID = try row.decode(column: "prompt_id", as: UUID.self)
    version = try row.decode(column: "version", as: Int.self)
    created = try row.decode(column: "created", as: Bool.self)
  }
}

extension GenerationService {
  /// A generation's outcome in a group.
  enum GroupOutcome: Sendable {
    case stored(StoredGeneration)
    /// Not stored by the group: store it alone (`storeAlone`), which gives its own error if
    /// it has one. The group's statement failed as a whole, or found its prompt created by a
    /// concurrent statement after its snapshot.
    case alone
    /// Alone twice without a row: the transaction must store it.
    case inTransaction
    /// A group of one: its own statement's error.
    case failed(any Error)
  }

  /// Stores a group: one statement for several generations; a group of one is the generation's
  /// own statement (`storeAlone`).
  static func storeGroup(_ generations: [StoreInOneStatement], on database: any Database) async
    -> [GroupOutcome]
  {
    guard generations.count > 1 else {
      do {
        return [
          try await storeAlone(generations[0], on: database).map(GroupOutcome.stored)
            ?? .inTransaction
        ]
      } catch {
        return [.failed(error)]
      }
    }
    do {
      let rows = try await database.rows(StoreGroupInOneStatement(generations: generations))
      var stored: [Int: StoredGeneration] = [:]
      for row in rows {
        stored[try row.decode(column: "position", as: Int.self)] = try StoredGeneration(row: row)
      }
      return generations.indices.map { stored[$0 + 1].map(GroupOutcome.stored) ?? .alone }
    } catch {
      // A deadlock with another process's group, a row one generation's foreign keys no longer
      // find: each generation alone then gets its own outcome.
      database.logger.debug(
        "A group of generations failed; each is stored alone",
        metadata: ["generations": .stringConvertible(generations.count), "error": "\(error)"])
      return Array(repeating: .alone, count: generations.count)
    }
  }

  /// One generation's statement, twice: a prompt another generation created after the first
  /// try's snapshot is visible to the second. Nil when neither returned a row.
  static func storeAlone(_ statement: StoreInOneStatement, on database: any Database)
    async throws -> StoredGeneration?
  {
    var found: (any SQLRow)?
    for _ in 0..<2 where found == nil {
      do {
        found = try await database.firstRow(statement)
      } catch  where WriteConflict.isRetryable(error) {
        continue
      }
    }
    return try found.map(StoredGeneration.init(row:))
  }
}
