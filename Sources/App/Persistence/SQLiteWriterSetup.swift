import CSQLiteShared
import Fluent
import FluentSQLiteDriver
import Jobs
import NIOCore
import NIOPosix
import SQLKit
import Vapor

/// The application's writer: Fluent's sessions, and the direct lane for the hot paths.
typealias AppWriteGroup = SQLiteGroupCommit<any Database, SQLiteWriterThread>

extension DatabaseID {
  /// The SQLite writer's own connection to the application's file (`SQLiteWriterSetup`).
  static let sqliteWriter = DatabaseID(string: "sqlite-writer")
}

/// The process's SQLite writer: a connection, an event loop and a blocking thread of its own,
/// and the group commit that owns them.
///
/// Fluent's SQLite pool keeps one connection per event loop, shared by every query of the
/// requests on that loop, and runs every statement on the application's blocking pool: a write
/// transaction there waits behind other requests' reads for the connection, for a pool thread
/// and, after each statement, for its event loop to finish rendering and encoding other
/// requests (each statement hands over between threads twice). Under 16 connections a group
/// of twelve generations took 15 ms, about 190 µs per statement, with half the CPU idle. The
/// writer's connection now lives in a `Databases` of its own, on its own event loop and
/// blocking thread, and its group commit runs with that event loop as its task executor, so
/// its statements wait for nothing but SQLite. The application's pool serves the reads.
///
/// `writeTransaction` finds the writer from any of the application's databases through a model
/// middleware that does nothing but carry it (`WriterCarrier`), because Fluent's `Database`
/// has no other place for per-database state.
final class SQLiteWriterSetup: LifecycleHandler, Sendable {
  let group: AppWriteGroup
  private let loops: MultiThreadedEventLoopGroup
  private let threadPool: NIOThreadPool
  private let databases: Databases
  private let thread: SQLiteWriterThread
  let checkpointer: SQLiteCheckpointer
  let readers: SQLiteReaders
  /// The file to delete at shutdown: the in-memory database's stand-in.
  private let temporaryPath: String?

  /// Registers the file at `path` as the application's default database, and its writer.
  @discardableResult
  static func use(path: String, on app: Application) -> SQLiteWriterSetup {
    use(path: path, temporary: false, on: app)
  }

  /// A database for this process alone (`sqlite::memory:`): a temporary file, deleted at
  /// shutdown. A file and not SQLite's memory, because the writer and the readers are several
  /// connections (sqlite-kit's own `.memory` is a temporary file for the same reason).
  @discardableResult
  static func useTemporary(on app: Application) -> SQLiteWriterSetup {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("promptsmith-memory-\(getpid())-\(UUID().uuidString).sqlite").path
    return use(path: path, temporary: true, on: app)
  }

  private static func use(path: String, temporary: Bool, on app: Application)
    -> SQLiteWriterSetup
  {
    app.databases.use(.sqlite(.file(path)), as: .sqlite, isDefault: true)
    if ps_page_cache_installed() == 0 {
      // Installed when the binary loads; refused only if something used SQLite before that.
      app.logger.warning(
        "SQLite's page cache of CSQLiteShared/page_cache.c is not installed: commits after a B-tree split may scan the writer's whole page cache"
      )
    }
    let writer = SQLiteWriterSetup(
      path: path, temporary: temporary, requestLoops: Array(app.eventLoopGroup.makeIterator()))
    app.databases.middleware.use(
      WriterCarrier(
        group: writer.group, readers: writer.readers, checkpointer: writer.checkpointer),
      on: .sqlite)
    app.lifecycle.use(writer)
    return writer
  }

  private init(path: String, temporary: Bool, requestLoops: [any EventLoop]) {
    temporaryPath = temporary ? path : nil
    loops = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    threadPool = NIOThreadPool(numberOfThreads: 1)
    threadPool.start()
    let logger = Logger(label: "promptsmith.sqlite-writer")
    checkpointer = SQLiteCheckpointer(path: path, logger: logger)
    thread = SQLiteWriterThread(threadPool: threadPool, path: path, checkpointer: checkpointer)
    databases = Databases(threadPool: threadPool, on: loops)
    databases.use(.sqlite(.file(path)), as: .sqliteWriter, isDefault: true)
    databases.middleware.use(
      WriterCarrier(group: nil, readers: nil, checkpointer: nil), on: .sqliteWriter)
    readers = SQLiteReaders(path: path, count: 2, loops: requestLoops)
    let loop = loops.next()
    let databases = databases
    group = AppWriteGroup(
      executor: EventLoopTaskExecutor(loop),
      lease: { body in
        guard let writer = databases.database(.sqliteWriter, logger: logger, on: loop) else {
          throw Abort(.internalServerError, reason: "The SQLite writer is not configured")
        }
        try await writer.withConnection { connection in try await body(connection) }
      },
      lane: thread,
      sql: { $0.sql },
      prepare: { connection in
        for pragma in SQLiteDirectConnection.writerSettings {
          try await connection.raw(SQLQueryString(pragma)).run()
        }
        // Another process (a `worker`, `user create`, `keys rotate`) may hold the file's write
        // lock for a moment; SQLiteNIO's own handler would spin a thread meanwhile, forever.
        try await SQLiteWriter.setBusyTimeout(.seconds(10), on: connection)
      })
  }

  func shutdownAsync(_ application: Application) async {
    await readers.shutdown()
    await thread.close()
    await checkpointer.shutdown()
    await databases.shutdownAsync()
    try? await threadPool.shutdownGracefully()
    try? await loops.shutdownGracefully()
    if let temporaryPath {
      for suffix in ["", "-wal", "-shm", "-journal"] {
        try? FileManager.default.removeItem(atPath: temporaryPath + suffix)
      }
    }
  }

  /// The writer of the database `database` belongs to, if it is a SQLite one.
  static func writer(of database: any Database) -> WriterCarrier? {
    database.context.configuration.middleware.lazy.compactMap { $0 as? WriterCarrier }.first
  }
}

/// Carries the group commit on a database's configuration; passes every model event on.
///
/// On the writer's own database `group` is nil: a write transaction asked for there is already
/// inside the group's transaction.
struct WriterCarrier: AnyModelMiddleware {
  let group: AppWriteGroup?
  /// The read-only connections for `FixedStatement`s; nil on the writer's own database, whose
  /// reads must see its group's writes.
  let readers: SQLiteReaders?
  /// Copies the log into the file for the writer; nil on the writer's own database.
  let checkpointer: SQLiteCheckpointer?

  func handle(
    _ event: ModelEvent, _ model: any AnyModel, on db: any Database,
    chainingTo next: any AnyModelResponder
  ) -> EventLoopFuture<Void> {
    next.handle(event, model, on: db)
  }
}

/// Runs a task's jobs on one event loop: the writer's statements complete there, and the
/// task resumes there without waiting for another thread.
final class EventLoopTaskExecutor: TaskExecutor {
  let eventLoop: any EventLoop

  init(_ eventLoop: any EventLoop) {
    self.eventLoop = eventLoop
  }

  func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
  }
}

extension Application {
  /// The process's SQLite writer, for the job queue; nil on PostgreSQL.
  var sqliteWriteGroup: (any SQLiteWriteGroup)? {
    SQLiteWriterSetup.writer(of: db)?.group
  }
}
