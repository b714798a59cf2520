import Fluent
import SQLKit

extension Database {
  /// Creates a plain index; Fluent's schema builder only knows unique constraints.
  func createIndex(_ name: String, on table: String, columns: [String]) async throws {
    var builder = sql.create(index: name).on(table)
    for column in columns {
      builder = builder.column(column)
    }
    try await builder.run()
  }
}
