import Logging
import NIOCore
import SQLiteKit

/// A SQLite database over a pool of connections to one file, as Fluent's driver builds it: the
/// queue's own tests and its crash-test worker run on it without the application.
/// `@unchecked`: AsyncKit's pool is not marked `Sendable` but guards its state with a lock.
public struct PooledSQLiteDatabase: SQLiteDatabase, @unchecked Sendable {
  public let pool: EventLoopGroupConnectionPool<SQLiteConnectionSource>
  public let logger: Logger

  /// A database over `pool`, logging to `logger`.
  public init(pool: EventLoopGroupConnectionPool<SQLiteConnectionSource>, logger: Logger) {
    self.pool = pool
    self.logger = logger
  }

  public var eventLoop: any EventLoop { pool.eventLoopGroup.any() }

  public func query(
    _ query: String, _ binds: [SQLiteData], logger: Logger,
    _ onRow: @escaping @Sendable (SQLiteRow) -> Void
  ) -> EventLoopFuture<Void> {
    withConnection { $0.query(query, binds, logger: logger, onRow) }
  }

  public func withConnection<T>(
    _ closure: @escaping @Sendable (SQLiteConnection) -> EventLoopFuture<T>
  ) -> EventLoopFuture<T> {
    pool.withConnection(logger: logger, on: nil) { closure($0) }
  }
}
