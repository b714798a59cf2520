import Logging
import NIOConcurrencyHelpers
import NIOPosix

/// Copies SQLite's write-ahead log into the database file on a thread and a connection of its
/// own.
///
/// SQLite checkpoints from the connection whose commit took the log past 1,000 pages, inside
/// that commit: on the writer's thread, where every group waited for it (a tenth of the
/// writer's samples under `POST /prompts/generate`, perf, 2026-12-06). The writer's direct lane
/// hands that work here (`SQLiteDirectConnection.handCheckpoints`). A passive checkpoint takes
/// no lock a writer or a reader needs, so the writer's next group commits meanwhile; one runs
/// at a time. The checkpoint syncs the log and then the file, as `synchronous = FULL` asks, so
/// it changes where the copy happens and nothing of what a crash can lose.
final class SQLiteCheckpointer: Sendable {
  /// Sixteen times SQLite's own (`wal_autocheckpoint`): a page written again before the
  /// checkpoint is copied once. Most pages a generation changes are the ends of indexes and
  /// statistics rows that the next ones change again. At 1,000 pages the checkpoints were 11 %
  /// of the SQLite threads' samples under generate, at 4,000 7.6 % (perf, 2026-12-06); at
  /// 16,000 the checkpointer's CPU per generation fell by another quarter (round 9,
  /// docs/performance.md). The log grows to about 64 MB between them.
  static let pagesBeforeCheckpoint = 16000

  private final class Connection: @unchecked Sendable {
    /// Touched only on the checkpointer's thread.
    var connection: SQLiteDirectConnection?
  }

  private let threadPool = NIOThreadPool(numberOfThreads: 1)
  private let path: String
  private let logger: Logger
  private let held = Connection()
  private let pending = NIOLockedValueBox(false)
  private let completed = NIOLockedValueBox(0)

  init(path: String, logger: Logger) {
    self.path = path
    self.logger = logger
    threadPool.start()
  }

  /// How many checkpoints ran here.
  var checkpoints: Int { completed.withLockedValue { $0 } }

  /// Called by the writer after each commit, on its thread: schedules a checkpoint once the
  /// log holds enough pages, unless one is waiting or running.
  func logGrew(to pages: Int) {
    guard pages >= Self.pagesBeforeCheckpoint else { return }
    let scheduled = pending.withLockedValue { pending in
      defer { pending = true }
      return !pending
    }
    guard scheduled else { return }
    threadPool.submit { [self] state in
      defer { pending.withLockedValue { $0 = false } }
      guard case .active = state else { return }
      run()
    }
  }

  private func run() {
    do {
      let connection =
        try held.connection
        ?? SQLiteDirectConnection(path: path, busyTimeout: .seconds(10))
      held.connection = connection
      try connection.checkpoint()
      completed.withLockedValue { $0 += 1 }
    } catch {
      // The next commit past the threshold asks again; a connection that failed is reopened.
      held.connection = nil
      logger.warning("SQLite checkpoint failed", metadata: ["error": "\(error)"])
    }
  }

  /// Closes the connection on its thread, then stops the thread.
  func shutdown() async {
    _ = try? await threadPool.runIfActive { self.held.connection = nil }
    try? await threadPool.shutdownGracefully()
  }
}
