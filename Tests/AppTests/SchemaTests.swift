import Fluent
import SQLKit
import Testing

@testable import App

/// Every foreign key needs an index (lookups, joins and cascading checks all use it).
@Suite struct SchemaTests {
  struct ForeignKey: Hashable, CustomStringConvertible {
    let table: String
    let column: String
    var description: String { "\(table).\(column)" }
  }

  @Test(arguments: TestDatabase.all)
  func everyForeignKeyHasAnIndex(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let sql = ctx.app.db.sql
      let (foreignKeys, indexedLeadingColumns) =
        database == .sqlite ? try await sqliteSchema(sql) : try await postgresSchema(sql)
      #expect(!foreignKeys.isEmpty)
      let unindexed = foreignKeys.filter { !indexedLeadingColumns.contains($0) }
      #expect(unindexed.isEmpty, "foreign keys without an index: \(unindexed)")
    }
  }

  @Test(arguments: TestDatabase.all)
  func migrationsRevertCleanly(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      try await ctx.app.autoRevert()
      let sql = ctx.app.db.sql
      let tables: [String]
      if database == .sqlite {
        tables = try await sql.raw(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_fluent_migrations'"
        ).all().map { try $0.decode(column: "name", as: String.self) }
      } else {
        tables = try await sql.raw(
          "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_fluent_migrations'"
        ).all().map { try $0.decode(column: "tablename", as: String.self) }
      }
      #expect(tables.isEmpty, "left behind: \(tables)")
      try await ctx.app.autoMigrate()
    }
  }

  /// Migration 025 drops the audit indexes no query reads; reverting it brings them back.
  @Test(arguments: TestDatabase.all)
  func theUnreadAuditIndexesAreGone(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let sql = ctx.app.db.sql
      let names = { () async throws -> Set<String> in
        let query: SQLQueryString =
          database == .sqlite
          ? "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_events'"
          : "SELECT indexname AS name FROM pg_indexes WHERE tablename = 'audit_events'"
        return Set(
          try await sql.raw(query).all().map { try $0.decode(column: "name", as: String.self) })
      }
      let dropped = Set(DropUnreadIndexes.dropped.map(\.name))
      #expect(try await names().isDisjoint(with: dropped))
      try await DropUnreadIndexes().revert(on: ctx.app.db)
      #expect(try await names().isSuperset(of: dropped))
      try await DropUnreadIndexes().prepare(on: ctx.app.db)
      #expect(try await names().isDisjoint(with: dropped))
    }
  }

  /// PostgreSQL compresses the large text columns with lz4 (migration 012).
  @Test func largeTextColumnsUseLZ4() async throws {
    guard TestDatabase.all.contains(.postgres) else { return }
    try await withTestApp(.postgres) { ctx in
      let sql = ctx.app.db.sql
      try #require(try await UpdateLargeTextUseLZ4.supportsLZ4(sql))
      for (table, column) in UpdateLargeTextUseLZ4.columns {
        let method = try await sql.raw(
          """
          SELECT CAST(attcompression AS TEXT) AS method FROM pg_attribute
          WHERE attrelid = CAST(\(bind: table) AS regclass) AND attname = \(bind: column)
          """
        ).first()?.decode(column: "method", as: String.self)
        #expect(method == "l", "\(table).\(column)")
      }
    }
  }

  private func sqliteSchema(_ sql: any SQLDatabase) async throws -> (
    [ForeignKey], Set<ForeignKey>
  ) {
    let tables = try await sql.raw(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).all().map { try $0.decode(column: "name", as: String.self) }
    var foreignKeys: [ForeignKey] = []
    var indexed = Set<ForeignKey>()
    for table in tables {
      for row in try await sql.raw("PRAGMA foreign_key_list(\(ident: table))").all() {
        foreignKeys.append(
          ForeignKey(table: table, column: try row.decode(column: "from", as: String.self)))
      }
      for index in try await sql.raw("PRAGMA index_list(\(ident: table))").all() {
        let name = try index.decode(column: "name", as: String.self)
        let columns = try await sql.raw("PRAGMA index_info(\(ident: name))").all()
        if let first = columns.first(where: { (try? $0.decode(column: "seqno", as: Int.self)) == 0 }
        ) {
          indexed.insert(
            ForeignKey(table: table, column: try first.decode(column: "name", as: String.self)))
        }
      }
    }
    return (foreignKeys, indexed)
  }

  private func postgresSchema(_ sql: any SQLDatabase) async throws -> (
    [ForeignKey], Set<ForeignKey>
  ) {
    let foreignKeys = try await sql.raw(
      """
      SELECT rel.relname AS table_name, att.attname AS column_name
      FROM pg_constraint con
      JOIN pg_class rel ON rel.oid = con.conrelid
      JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = con.conkey[1]
      WHERE con.contype = 'f'
      """
    ).all().map {
      ForeignKey(
        table: try $0.decode(column: "table_name", as: String.self),
        column: try $0.decode(column: "column_name", as: String.self))
    }
    let indexed = try await sql.raw(
      """
      SELECT t.relname AS table_name, a.attname AS column_name
      FROM pg_index i
      JOIN pg_class t ON t.oid = i.indrelid
      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0]
      JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = 'public'
      """
    ).all().map {
      ForeignKey(
        table: try $0.decode(column: "table_name", as: String.self),
        column: try $0.decode(column: "column_name", as: String.self))
    }
    return (foreignKeys, Set(indexed))
  }
}
