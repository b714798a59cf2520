import Logging
import NIOConcurrencyHelpers
import NIOPosix

#if canImport(Glibc)
  import Glibc
#endif

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
///
/// The log starts again from its beginning only when a write finds it entirely copied. Groups
/// commit while a checkpoint runs here, so a checkpoint here never leaves it so: the last few
/// pages are copied by the writer itself, inside its next commit (`LogProgress`).
final class SQLiteCheckpointer: Sendable {
  /// Sixteen times SQLite's own (`wal_autocheckpoint`): a page written again before the
  /// checkpoint is copied once. Most pages a generation changes are the ends of indexes and
  /// statistics rows that the next ones change again. At 1,000 pages the checkpoints were 11 %
  /// of the SQLite threads' samples under generate, at 4,000 7.6 % (perf, 2026-12-06). The log
  /// grows to about 64 MB between them.
  static let pagesBeforeCheckpoint = 16000

  /// At most this many pages left for the writer to copy in its commit (a millisecond or two);
  /// more, and this thread copies again first.
  static let pagesLeftForTheWriter = 250

  /// Checkpoints in a row at most, each copying what the writer committed during the last.
  static let roundsPerCheckpoint = 6

  private final class Connection: @unchecked Sendable {
    /// Touched only on the checkpointer's thread.
    var connection: SQLiteDirectConnection?
  }

  private let threadPool = NIOThreadPool(numberOfThreads: 1)
  private let path: String
  private let logger: Logger
  private let held = Connection()
  private let progress = NIOLockedValueBox(LogProgress())

  init(path: String, logger: Logger) {
    self.path = path
    self.logger = logger
    threadPool.start()
  }

  /// How many checkpoints ran here.
  var checkpoints: Int { progress.withLockedValue { $0.checkpoints } }

  /// How many times the writer found the log copied and started it again from its beginning.
  var restarts: Int { progress.withLockedValue { $0.restarts } }

  /// Where the copying stands (for tests' messages).
  var state: LogProgress { progress.withLockedValue { $0 } }

  /// Called by the writer after each commit, on its thread, with the pages its log holds:
  /// schedules a checkpoint here once enough of them are new since the last one, or copies the
  /// few that the last one left (`copy`, a passive checkpoint on the writer's connection).
  func logGrew(to pages: Int, copy: () -> (logPages: Int, copied: Int)?) {
    switch progress.withLockedValue({ $0.next(afterCommitWith: pages) }) {
    case .nothing:
      return
    case .copyHere:
      let copied = copy()
      progress.withLockedValue { $0.writerCopied(copied?.copied, of: pages) }
    case .schedule(let log):
      threadPool.submit { [self] state in
        guard case .active = state else {
          progress.withLockedValue { $0.running = false }
          return
        }
        run(log: log)
      }
    }
  }

  private func run(log: Int) {
    var copied: Int?
    do {
      if held.connection == nil { Self.yieldToRequests() }
      let connection =
        try held.connection
        ?? SQLiteDirectConnection(path: path, busyTimeout: .seconds(10))
      held.connection = connection
      // Again while the writer's commits meanwhile are more than it should copy itself.
      for _ in 0..<Self.roundsPerCheckpoint {
        let through = try connection.checkpoint().copied
        // SQLite syncs the file only when a checkpoint finds the whole log copied, commits
        // made meanwhile included: the one that finally does would sync everything copied
        // since, on the writer's thread. Synced here, that is a few pages (and a sync of a
        // file with nothing to write costs next to nothing).
        try connection.syncDatabaseFile()
        copied = through
        let left = progress.withLockedValue { progress in
          progress.checkpoints += 1
          return progress.pages - through
        }
        guard left > Self.pagesLeftForTheWriter else { break }
      }
    } catch {
      // A commit asks again (the log past the threshold, within 16 commits); a connection that
      // failed is reopened.
      held.connection = nil
      logger.warning("SQLite checkpoint failed", metadata: ["error": "\(error)"])
    }
    progress.withLockedValue { $0.checkpointed(through: copied, log: log) }
  }

  /// Lowers the calling thread's scheduling priority to nice 10 (on Linux, `who` 0 is the
  /// calling thread alone, not the process). A checkpoint copies up to 64 MB of pages at once: at
  /// the requests' priority it took their CPU for as long and lengthened their tail, while at
  /// nice 10 it runs mostly in the time they leave idle, about a sixth of the machine under
  /// generate (docs/performance.md, round 13). It still gets its share when none is idle.
  private static func yieldToRequests() {
    #if os(Linux)
      _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
    #endif
  }

  #if os(Linux)
    /// The nice value of the checkpointer's thread (10 once it has checkpointed; 0 before).
    func niceValue() async throws -> Int32 {
      try await threadPool.runIfActive {
        getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
      }
    }
  #endif

  /// Closes the connection on its thread, then stops the thread.
  func shutdown() async {
    _ = try? await threadPool.runIfActive { self.held.connection = nil }
    try? await threadPool.shutdownGracefully()
  }
}

/// Where the copying of one log stands: what the writer's commits decide from.
struct LogProgress: Sendable {
  enum Step: Equatable {
    case nothing
    /// The writer copies the few pages left.
    case copyHere
    /// A checkpoint on the checkpointer's thread, for the log numbered so.
    case schedule(log: Int)
  }

  /// The log's pages at the last commit.
  var pages = 0
  /// Pages of this log known to be in the database file.
  var copied = 0
  /// Counts the log's new beginnings: a checkpoint's result belongs to the log it started on.
  var restarts = 0
  var running = false
  var checkpoints = 0
  /// Commits since a copy was last asked for, here or on the writer's thread.
  var commitsSinceLastCopy = 0

  /// A log past the threshold with pages left after a checkpoint is one that has to be copied
  /// to the end to start again: the pages committed while the checkpoint ran, or those written
  /// after a new beginning failed (the writer's next group had begun reading before the last
  /// pages were copied, or a reader was still in them). They are copied at the first commit
  /// after a checkpoint, then once every so many commits, so that a long read costs a sync now
  /// and then, not one per commit; by the writer if they are few, else by the checkpointer.
  static let commitsBetweenRetries = 16

  mutating func next(afterCommitWith logPages: Int) -> Step {
    if logPages < pages {
      // The writer started the log again: all of the old one was in the file.
      restarts += 1
      copied = 0
    }
    pages = logPages
    commitsSinceLastCopy += 1
    if running { return .nothing }
    let left = logPages - copied
    let due =
      logPages >= SQLiteCheckpointer.pagesBeforeCheckpoint && left > 0
      && commitsSinceLastCopy >= Self.commitsBetweenRetries
    if due && left <= 2 * SQLiteCheckpointer.pagesLeftForTheWriter {
      commitsSinceLastCopy = 0
      return .copyHere
    }
    guard due || left >= SQLiteCheckpointer.pagesBeforeCheckpoint else { return .nothing }
    running = true
    commitsSinceLastCopy = 0
    return .schedule(log: restarts)
  }

  /// The checkpointer's thread is done; `through` is how far it copied (nil if it failed: the
  /// next copy is then asked for as after any other, within `commitsBetweenRetries`).
  mutating func checkpointed(through: Int?, log: Int) {
    running = false
    guard let through, log == restarts else { return }
    copied = max(copied, through)
    // What it left is for the next commit.
    commitsSinceLastCopy = Self.commitsBetweenRetries
  }

  mutating func writerCopied(_ through: Int?, of logPages: Int) {
    guard let through, logPages == pages else { return }
    copied = max(copied, through)
  }
}
