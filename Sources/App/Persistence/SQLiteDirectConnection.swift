import CSQLiteShared
import FluentSQLiteDriver
import Foundation
import Jobs
import NIOCore
import NIOPosix
import SQLKit

/// An error of the writer's own SQLite connection, with SQLite's extended result code.
struct SQLiteDirectError: Error, CustomStringConvertible {
  let code: Int32
  let message: String

  var description: String { "SQLite error \(code): \(message)" }
}

/// The SQLite writer's own connection, driven synchronously on the writer's blocking thread.
///
/// SQLiteNIO runs each statement as a job of its thread pool and answers on an event loop: two
/// thread hand-overs per statement, each a wake-up, and a fresh `sqlite3_prepare` (the
/// generation's inserts compile their statistics triggers each time). A generation's write is
/// five statements, a savepoint and its release. Here a whole group of them runs as one job on
/// one thread, each statement prepared once per connection (`SQLITE_PREPARE_PERSISTENT`) and
/// then only reset, bound and stepped. It is the same copy of SQLite as Fluent's connections
/// (`CSQLiteShared`), so the file's locks are shared correctly.
///
/// Not `Sendable` in spirit: only `SQLiteDirectLane`'s single thread touches it.
final class SQLiteDirectConnection: @unchecked Sendable {
  private let handle: OpaquePointer
  private var statements: [String: OpaquePointer] = [:]

  /// - Parameters:
  ///   - readOnly: Refuses every write (`PRAGMA query_only`): a reader's connection.
  ///   - batchingLogWrites: Opens the file through `batchedWALVFS`: the writer's connection.
  init(path: String, busyTimeout: Duration, readOnly: Bool = false, batchingLogWrites: Bool = false)
    throws
  {
    var opened: OpaquePointer?
    let flags =
      PS_SQLITE_OPEN_READWRITE | PS_SQLITE_OPEN_CREATE | PS_SQLITE_OPEN_URI
      | PS_SQLITE_OPEN_FULLMUTEX | PS_SQLITE_OPEN_EXRESCODE
    let vfs = batchingLogWrites ? Self.batchedWALVFS : nil
    let status = sqlite_nio_sqlite3_open_v2(path, &opened, flags, vfs)
    guard status == PS_SQLITE_OK, let opened else {
      let message = opened.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "no handle"
      if let opened { sqlite_nio_sqlite3_close_v2(opened) }
      throw SQLiteDirectError(code: status, message: "Cannot open \(path): \(message)")
    }
    handle = opened
    let milliseconds = Int32(clamping: busyTimeout.components.seconds * 1000)
    sqlite_nio_sqlite3_busy_timeout(handle, milliseconds)
    // As every connection Fluent opens.
    try execute("PRAGMA foreign_keys = ON")
    for pragma in readOnly ? ["PRAGMA query_only = 1"] : Self.writerSettings {
      try execute(pragma)
    }
  }

  /// SQLite's default VFS with each commit's log frames written in one `pwrite` at the log's
  /// sync instead of two per frame (`CSQLiteShared/batched_wal.c`); nil, and the default VFS,
  /// if it could not be registered. A commit is on disk when its sync returns, as before.
  static let batchedWALVFS: String? =
    ps_batched_wal_vfs_register() == PS_SQLITE_OK ? PS_BATCHED_WAL_VFS : nil

  /// The settings of every connection that writes for the process's writer, Fluent's included.
  static let writerSettings = [
    // Said, not assumed: a commit is acknowledged after its log is synced (FULL is SQLite's
    // default; docs/performance.md, round 4, explains why not NORMAL).
    "PRAGMA synchronous = FULL",
    // Each request of a group runs in a savepoint, whose undo log (the sub-journal) SQLite
    // otherwise writes to a temporary file: it only ever serves a rollback within the
    // transaction, so memory loses nothing a crash could need.
    "PRAGMA temp_store = MEMORY",
    // 32 MB of pages rather than SQLite's 2 MB: the writer's look-ups (a prompt by its issue,
    // template and creator; its versions' highest number) read index pages of a large file
    // through `pread` on every miss (4 % of the SQLite threads' samples under generate, under
    // 1 % after; perf, 2026-12-06), and so would the pages of its own recent commits that are
    // in the log (17 % of the writer's thread with 2 MB and a memory map; perf, 2026-12-07).
    // The cache grows only with the pages the writer touches. A large cache is cheap to keep
    // at each commit only with `page_cache.c` (CSQLiteShared).
    "PRAGMA cache_size = -32768",
    // The direct connection hands its checkpoints to `SQLiteCheckpointer` per 16,000 new pages
    // (its hook replaces this setting there), and the log, which starts again only once all of
    // it is copied, can hold twice that and more before it does. Fluent's connection
    // checkpoints in its own commits, on the writer's thread: at four times that, so that it
    // does so only when its writes alone fill the log.
    "PRAGMA wal_autocheckpoint = \(4 * SQLiteCheckpointer.pagesBeforeCheckpoint)",
  ]

  deinit {
    for statement in statements.values {
      sqlite_nio_sqlite3_finalize(statement)
    }
    sqlite_nio_sqlite3_close_v2(handle)
  }

  /// Runs a statement without values (transaction control, pragmas), prepared once too.
  func execute(_ sql: String) throws {
    _ = try rows(sql, [])
  }

  /// Runs `sql` with `values` bound to `?1`, `?2`…, and returns its rows.
  func rows(_ sql: String, _ values: [BoundValue]) throws -> [DirectRow] {
    let statement = try prepared(sql)
    // Reset only: every run binds all of the statement's values anew. `clear_bindings` would
    // mark a statement whose plan looked at a bound value (SQLite 3.54 does for `LIMIT ?` and
    // for `=` terms outside the index) as expired, and the next step would compile it again
    // (`sqlite3Reprepare`: 6 % of the writer's thread under generate, perf, 2026-12-06).
    defer { sqlite_nio_sqlite3_reset(statement) }
    for (offset, value) in values.enumerated() {
      let status = bind(value, at: Int32(offset + 1), to: statement)
      guard status == PS_SQLITE_OK else { throw lastError(status) }
    }
    var rows: [DirectRow] = []
    var names: [String]?
    while true {
      let status = sqlite_nio_sqlite3_step(statement)
      if status == PS_SQLITE_DONE { return rows }
      guard status == PS_SQLITE_ROW else { throw lastError(status) }
      let columns = names ?? DirectRow.names(of: statement)
      names = columns
      rows.append(DirectRow(statement, names: columns))
    }
  }

  /// After each commit, tells `checkpointer` how many pages the log holds, in place of SQLite's
  /// automatic checkpoint, which would copy them into the database file here, inside the
  /// commit. The checkpointer may still ask for the few pages its last checkpoint left: a
  /// passive checkpoint from inside the hook, as SQLite's own automatic one runs.
  func handCheckpoints(to checkpointer: SQLiteCheckpointer) {
    _ = sqlite_nio_sqlite3_wal_hook(
      handle,
      { context, database, _, pages in
        guard let context else { return PS_SQLITE_OK }
        Unmanaged<SQLiteCheckpointer>.fromOpaque(context).takeUnretainedValue()
          .logGrew(to: Int(pages)) {
            guard let database else { return nil }
            let result = passiveCheckpoint(database)
            return result.status == PS_SQLITE_OK ? (result.logPages, result.copied) : nil
          }
        return PS_SQLITE_OK
      }, Unmanaged.passUnretained(checkpointer).toOpaque())
  }

  /// A passive checkpoint: copies into the database file the log's pages that no reader still
  /// needs, waiting for no one. Returns the log's pages and how many of them are now copied.
  @discardableResult
  func checkpoint() throws -> (logPages: Int, copied: Int) {
    let result = passiveCheckpoint(handle)
    guard result.status == PS_SQLITE_OK else { throw lastError(result.status) }
    return (result.logPages, result.copied)
  }

  /// Syncs the database file: what a passive checkpoint that could not copy the whole log
  /// leaves for the one that does, which would otherwise sync all of it at once.
  func syncDatabaseFile() throws {
    let status = ps_sync_database_file(handle)
    guard status == PS_SQLITE_OK else {
      throw SQLiteDirectError(code: status, message: "syncing the database file failed")
    }
  }

  /// Whether a transaction is open on this connection (SQLite is not in autocommit mode).
  var isInTransaction: Bool {
    sqlite_nio_sqlite3_get_autocommit(handle) == 0
  }

  /// How many times SQLite compiled this connection's statements again after their first
  /// preparation (`SQLITE_STMTSTATUS_REPREPARE`): zero while they are reused as meant.
  var reprepares: Int {
    statements.values.reduce(0) {
      $0 + Int(sqlite_nio_sqlite3_stmt_status($1, PS_SQLITE_STMTSTATUS_REPREPARE, 0))
    }
  }

  private func prepared(_ sql: String) throws -> OpaquePointer {
    if let statement = statements[sql] { return statement }
    var statement: OpaquePointer?
    let status = sqlite_nio_sqlite3_prepare_v3(
      handle, sql, -1, UInt32(PS_SQLITE_PREPARE_PERSISTENT), &statement, nil)
    guard status == PS_SQLITE_OK, let statement else { throw lastError(status) }
    statements[sql] = statement
    return statement
  }

  /// The values as SQLKit binds them on SQLite, so that both write the same rows: UUIDs as
  /// their uppercase text, dates as seconds since 1970, booleans as 0 or 1.
  private func bind(_ value: BoundValue, at index: Int32, to statement: OpaquePointer) -> Int32 {
    switch value {
    case .uuid(let uuid?): bindUUID(uuid, at: index, to: statement)
    case .text(let text?): bindText(text, at: index, to: statement)
    case .int(let int?): sqlite_nio_sqlite3_bind_int64(statement, index, Int64(int))
    case .date(let date?):
      sqlite_nio_sqlite3_bind_double(statement, index, date.timeIntervalSince1970)
    case .bool(let bool?): sqlite_nio_sqlite3_bind_int64(statement, index, bool ? 1 : 0)
    case .uuid(nil), .text(nil), .int(nil), .date(nil), .bool(nil):
      sqlite_nio_sqlite3_bind_null(statement, index)
    case .uuids, .texts, .ints, .dates, .bools:
      preconditionFailure("array values are bound on PostgreSQL only")
    }
  }

  /// `uuid.uuidString`'s text (uppercase, hyphenated), written without it: Foundation formats
  /// it with `sprintf`, 1 % of the writer's thread under generate (perf, 2026-12-06).
  private func bindUUID(_ uuid: UUID, at index: Int32, to statement: OpaquePointer) -> Int32 {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 36) { text in
      uuid.write(into: text, uppercase: true)
      return text.withMemoryRebound(to: CChar.self) {
        ps_sqlite3_bind_text_copy(statement, index, $0.baseAddress, 36)
      }
    }
  }

  private func bindText(_ text: String, at index: Int32, to statement: OpaquePointer) -> Int32 {
    var text = text
    return text.withUTF8 { bytes in
      bytes.withMemoryRebound(to: CChar.self) {
        ps_sqlite3_bind_text_copy(statement, index, $0.baseAddress, Int32($0.count))
      }
    }
  }

  private func lastError(_ status: Int32) -> SQLiteDirectError {
    SQLiteDirectError(
      code: sqlite_nio_sqlite3_extended_errcode(handle),
      message: String(cString: sqlite_nio_sqlite3_errmsg(handle)))
  }
}

/// One row a direct statement returned, readable as SQLKit's rows are (`SQLRow`), with the
/// values SQLiteNIO would have given.
struct DirectRow: SQLRow {
  let names: [String]
  let values: [SQLiteData]

  fileprivate init(_ statement: OpaquePointer, names: [String]) {
    self.names = names
    values = (0..<Int32(names.count)).map { column in
      switch sqlite_nio_sqlite3_column_type(statement, column) {
      case 1:  // SQLITE_INTEGER
        return .integer(Int(sqlite_nio_sqlite3_column_int64(statement, column)))
      case 2:  // SQLITE_FLOAT
        return .float(sqlite_nio_sqlite3_column_double(statement, column))
      case 4:  // SQLITE_BLOB
        let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
        guard let bytes = sqlite_nio_sqlite3_column_blob(statement, column) else {
          return .blob(ByteBuffer())
        }
        return .blob(ByteBuffer(bytes: UnsafeRawBufferPointer(start: bytes, count: count)))
      case 5:  // SQLITE_NULL
        return .null
      default:
        guard let text = sqlite_nio_sqlite3_column_text(statement, column) else { return .null }
        let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
        return .text(
          String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
      }
    }
  }

  fileprivate static func names(of statement: OpaquePointer) -> [String] {
    (0..<sqlite_nio_sqlite3_column_count(statement)).map {
      sqlite_nio_sqlite3_column_name(statement, $0).map { String(cString: $0) } ?? ""
    }
  }

  // SQLRow

  private static let decoder = SQLiteDataDecoder()

  var allColumns: [String] { names }

  func contains(column: String) -> Bool { names.contains(column) }

  func decodeNil(column: String) throws -> Bool {
    names.firstIndex(of: column).map { values[$0] == .null } ?? true
  }

  func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
    guard let index = names.firstIndex(of: column) else {
      throw SQLiteDirectError(code: 1, message: "no column \(column)")
    }
    let value = values[index]
    if let decoded = Self.decodedDirectly(value, as: D.self) { return decoded }
    return try Self.decoder.decode(D.self, from: value)
  }

  /// The values SQLiteKit's decoder reaches only through a `Decoder` of its own (a UUID from
  /// its text, parsed by Foundation with `sscanf`; an optional), taken straight from the
  /// column: decoding an issue's row that way was 2 % of a generation's event-loop CPU (perf,
  /// 2026-12-07). Nil for the rest, and for a value these do not read, which the decoder reads
  /// or refuses as before.
  private static func decodedDirectly<D>(_ value: SQLiteData, as type: D.Type) -> D? {
    switch value {
    case .text(let text):
      if D.self == UUID.self || D.self == UUID?.self {
        return UUID(text: text).flatMap { $0 as? D }
      }
      if D.self == String?.self { return text as? D }
    case .integer(let integer):
      if D.self == Int?.self { return integer as? D }
    case .null:
      if D.self == String?.self { return String?.none as? D }
      if D.self == Int?.self { return Int?.none as? D }
      if D.self == UUID?.self { return UUID?.none as? D }
    case .float, .blob:
      break
    }
    return nil
  }
}

extension FixedStatement {
  /// The statement's rows on the writer's own connection: its SQLite text with `$n` as `?n`
  /// (SQLite's numbered parameter; `$1` would be a *named* one).
  func rows(on connection: SQLiteDirectConnection) throws -> [DirectRow] {
    try connection.rows(Self.directSQL, values)
  }

  static var directSQL: String {
    DirectSQLCache.shared.text(for: Self.self) {
      // Only a `$` that starts a parameter number, as `queryString` reads them.
      let scalars = Array(sqliteSQL.unicodeScalars)
      var text = String.UnicodeScalarView()
      for (index, scalar) in scalars.enumerated() {
        let startsNumber =
          scalar == "$" && index + 1 < scalars.count
          && ("0"..."9").contains(scalars[index + 1])
        text.append(startsNumber ? "?" : scalar)
      }
      return String(text)
    }
  }
}

/// `directSQL` computed once per statement type.
private final class DirectSQLCache: @unchecked Sendable {
  static let shared = DirectSQLCache()
  private let lock = NSLock()
  private var texts: [ObjectIdentifier: String] = [:]

  func text(for type: Any.Type, _ make: () -> String) -> String {
    lock.lock()
    defer { lock.unlock() }
    if let text = texts[ObjectIdentifier(type)] { return text }
    let text = make()
    texts[ObjectIdentifier(type)] = text
    return text
  }
}

/// Runs the direct bodies of `SQLiteGroupCommit` on the writer's blocking thread, where its
/// connection lives (opened by the first group).
final class SQLiteWriterThread: SQLiteDirectLane, @unchecked Sendable {
  private let threadPool: NIOThreadPool
  private let path: String
  /// Touched only on the pool's single thread.
  private var connection: SQLiteDirectConnection?

  /// Copies the log into the file after this lane's commits, on its own thread.
  private let checkpointer: SQLiteCheckpointer

  init(threadPool: NIOThreadPool, path: String, checkpointer: SQLiteCheckpointer) {
    self.threadPool = threadPool
    self.path = path
    self.checkpointer = checkpointer
  }

  func submit(_ body: @escaping @Sendable (Result<SQLiteDirectConnection, any Error>) -> Void) {
    threadPool.submit { state in
      guard case .active = state else { return body(.failure(SQLiteWriterClosed())) }
      body(
        Result {
          let connection = try self.connection ?? self.open()
          self.connection = connection
          return connection
        })
    }
  }

  func transactionFailed(_ error: any Error, on connection: SQLiteDirectConnection) {
    // SQLITE_IOERR: open a new connection for the next group.
    if let error = error as? SQLiteDirectError, error.code & 0xFF == 10 {
      self.connection = nil
    }
  }

  private func open() throws -> SQLiteDirectConnection {
    let connection = try SQLiteDirectConnection(
      path: path, busyTimeout: .seconds(10), batchingLogWrites: true)
    connection.handCheckpoints(to: checkpointer)
    return connection
  }

  func execute(_ sql: String, on connection: SQLiteDirectConnection) throws {
    try connection.execute(sql)
  }

  /// Closes the connection, on its thread.
  func close() async {
    _ = try? await threadPool.runIfActive { self.connection = nil }
  }
}

/// A write submitted after the writer's thread stopped (the server is shutting down).
struct SQLiteWriterClosed: Error, CustomStringConvertible {
  var description: String { "the SQLite writer is shut down" }
}

/// A passive checkpoint on a connection's handle: this type's own, or the one SQLite hands its
/// log hook.
private func passiveCheckpoint(_ handle: OpaquePointer) -> (
  status: Int32, logPages: Int, copied: Int
) {
  var logPages: Int32 = 0
  var copied: Int32 = 0
  let status = sqlite_nio_sqlite3_wal_checkpoint_v2(
    handle, nil, PS_SQLITE_CHECKPOINT_PASSIVE, &logPages, &copied)
  return (status, Int(logPages), Int(copied))
}
