import CSQLiteShared
import Foundation
import Testing

@testable import App

/// `page_cache.c`: SQLite's page cache with the page number B-tree splits park pages under
/// filed as 0, installed when the binary loads.
@Suite struct SQLitePageCacheTests {
  @Test func itIsInstalledBeforeSQLiteIsFirstUsed() {
    #expect(ps_page_cache_installed() == 1)
  }

  /// Inserts, deletes and inserts again with random keys, so that splits take pages from the
  /// free list out of order and swap their numbers through the parked one; every row is then
  /// where it belongs and the file is whole, also once reopened.
  @Test func splitsThatParkPagesLeaveTheFileWhole() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("promptsmith-page-cache-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("db.sqlite").path
    let parkedBefore = ps_page_cache_parked_pages()
    var expected: [String: Int] = [:]
    do {
      let connection = try SQLiteDirectConnection(path: path, busyTimeout: .seconds(1))
      try connection.execute("PRAGMA journal_mode = WAL")
      try connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT NOT NULL, v BLOB)")
      try connection.execute("CREATE INDEX t_k ON t (k)")
      var generator = SystemRandomNumberGenerator()
      var id = 0
      for round in 0..<6 {
        try connection.execute("BEGIN IMMEDIATE")
        for _ in 0..<2_000 {
          id += 1
          let key = String(generator.next() as UInt64, radix: 16)
          _ = try connection.rows(
            "INSERT INTO t (id, k, v) VALUES (?1, ?2, zeroblob(300))", [.int(id), .text(key)])
          expected[key] = id
        }
        if round.isMultiple(of: 2) {
          // Every third row goes, its pages to the free list.
          _ = try connection.rows("DELETE FROM t WHERE id % 3 = 0", [])
          expected = expected.filter { !$0.value.isMultiple(of: 3) }
        }
        try connection.execute("COMMIT")
      }
      #expect(ps_page_cache_parked_pages() > parkedBefore)
      try check(connection, expected: expected)
    }
    try check(
      SQLiteDirectConnection(path: path, busyTimeout: .seconds(1), readOnly: true),
      expected: expected)
  }

  private func check(_ connection: SQLiteDirectConnection, expected: [String: Int]) throws {
    let integrity = try connection.rows("PRAGMA integrity_check", [])
    #expect(
      try integrity.map { try $0.decode(column: "integrity_check", as: String.self) } == ["ok"])
    let count = try connection.rows("SELECT COUNT(*) AS n FROM t", [])[0]
    #expect(try count.decode(column: "n", as: Int.self) == expected.count)
    for (key, id) in expected.prefix(500) {
      let rows = try connection.rows("SELECT id FROM t WHERE k = ?1", [.text(key)])
      #expect(try rows.map { try $0.decode(column: "id", as: Int.self) } == [id])
    }
  }
}
