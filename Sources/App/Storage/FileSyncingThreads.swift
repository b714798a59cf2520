import NIOPosix

extension NIOThreadPool {
  /// Threads for file writes that wait on the disk (`fsync` of a blob and of its folder), apart
  /// from the application's pool, which has one thread per core for CPU work (token counts,
  /// bcrypt). Sixteen uploads at once kept both of those threads asleep in `fsync` while the
  /// CPU idled a third of the time (perf, `POST /outputs`, 2026-12-06). Started once, like
  /// `NIOThreadPool.singleton`, and shared by every application of the process.
  static let fileSyncing: NIOThreadPool = {
    let pool = NIOThreadPool(numberOfThreads: 8)
    pool.start()
    return pool
  }()
}
