import Fluent
import SQLKit

extension Database {
  /// Creates a plain index; Fluent's schema builder only knows unique constraints.
  func createIndex(_ name: String, on table: String, columns: [String]) async throws {
    guard let sql = self as? any SQLDatabase else {
      throw FluentError.invalidField(name: name, valueType: String.self, error: IndexError())
    }
    var builder = sql.create(index: name).on(table)
    for column in columns {
      builder = builder.column(column)
    }
    try await builder.run()
  }
}

private struct IndexError: Error {}
