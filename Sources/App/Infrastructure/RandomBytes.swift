import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Random bytes for identifiers, from the kernel's generator, fetched 4 KiB at a time.
///
/// `SystemRandomNumberGenerator` makes one `getrandom(2)` system call per value it returns, and
/// Foundation's `UUID()` opens, reads and closes `/dev/urandom`: a generation's identifiers took
/// some forty system calls, most of them on the SQLite writer's thread, which every write of the
/// process queues for (perf, 2026-12-07). Each byte is handed out once.
///
/// For identifiers only (row ids, request ids, token ids, temporary file names). Secrets — tokens,
/// keys, passwords — read the system generator directly, so that no secret is ever in memory
/// before it is made.
enum RandomBytes {
  private struct Pool {
    static let size = 4096
    var bytes = [UInt8](repeating: 0, count: size)
    /// The first byte not yet handed out; `size` when the pool is empty.
    var next = size

    mutating func refill() {
      bytes.withUnsafeMutableBytes { buffer in
        #if canImport(Glibc)
          var filled = 0
          while filled < buffer.count {
            let count = read(
              RandomBytes.device, buffer.baseAddress! + filled, buffer.count - filled)
            // Interrupted by a signal before anything was read: read again.
            if count < 0 && errno == EINTR { continue }
            precondition(count > 0, "reading /dev/urandom failed: errno \(errno)")
            filled += count
          }
        #else
          arc4random_buf(buffer.baseAddress, buffer.count)
        #endif
      }
      next = 0
    }
  }

  #if canImport(Glibc)
    /// Opened once: `getrandom(2)` is not in the Glibc module Swift imports, and
    /// `arc4random_buf` only in glibc 2.36 and later.
    private static let device: Int32 = {
      let descriptor = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
      precondition(descriptor >= 0, "cannot open /dev/urandom: errno \(errno)")
      return descriptor
    }()
  #endif

  private static let pool = Mutex(Pool())

  /// Fills `target` (at most 4 KiB) with random bytes.
  static func fill(_ target: UnsafeMutableRawBufferPointer) {
    precondition(target.count <= Pool.size)
    pool.withLock { pool in
      if pool.next + target.count > Pool.size { pool.refill() }
      let start = pool.next
      pool.bytes.withUnsafeBytes { source in
        target.copyMemory(
          from: UnsafeRawBufferPointer(rebasing: source[start..<start + target.count]))
      }
      pool.next += target.count
    }
  }
}
