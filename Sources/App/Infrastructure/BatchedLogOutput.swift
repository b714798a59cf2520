import Foundation

/// Log lines to a file descriptor in batches: a line is copied into a buffer, and a thread of
/// the output's own writes the buffer out a few milliseconds after its first line, in one
/// `write`.
///
/// Written one `write` per line on the thread that logged it, a request's two lines (the
/// request and its audit) were 9 % of the event loops' samples under `POST /prompts/generate`
/// (perf, 2026-12-07): the system call and the file system's work for each small append.
///
/// What waits in the buffer is at most `delay` old. A line at `warning` or above is written at
/// once, after everything before it, so that the lines that explain a failure are out before
/// it can take the process down. `flush()` runs at exit; a process killed by a signal loses at
/// most the last `delay` of lower lines.
public final class BatchedLogOutput: @unchecked Sendable {
  /// The process's standard output.
  public static let standardOutput = BatchedLogOutput(descriptor: STDOUT_FILENO)

  /// Lines past this size are written without waiting for the delay.
  static let batchBytes = 64 * 1024

  private let descriptor: Int32
  private let delay: TimeInterval
  /// Guards `pending` and `started`; the writer thread waits on it.
  private let condition = NSCondition()
  private var pending: [UInt8] = []
  private var started = false
  /// One write at a time, so that batches go out in the order their lines came.
  private let writing = NSLock()

  init(descriptor: Int32, delay: Duration = .milliseconds(10)) {
    self.descriptor = descriptor
    let (seconds, attoseconds) = delay.components
    self.delay = Double(seconds) + Double(attoseconds) / 1e18
  }

  /// Queues `line`; writes it and everything queued before it at once when `now`.
  public func write(_ line: String, now: Bool = false) {
    condition.lock()
    let wasEmpty = pending.isEmpty
    pending.append(contentsOf: line.utf8)
    if !started && !now {
      started = true
      // The thread keeps the output alive: it waits for lines as long as the process lives.
      let thread = Thread { self.writeBatches() }
      thread.name = "log-output"
      thread.start()
    }
    if wasEmpty || pending.count >= Self.batchBytes { condition.signal() }
    condition.unlock()
    if now { flush() }
  }

  /// Writes everything queued so far.
  public func flush() {
    writing.lock()
    defer { writing.unlock() }
    var bytes: [UInt8] = []
    condition.lock()
    swap(&bytes, &pending)
    pending.reserveCapacity(bytes.count)
    condition.unlock()
    bytes.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let written = Foundation.write(
          descriptor, buffer.baseAddress! + offset, buffer.count - offset)
        if written < 0 && errno == EINTR { continue }
        // A closed or full output loses the lines rather than stopping the server.
        if written <= 0 { return }
        offset += written
      }
    }
  }

  /// The writer thread: waits for a first line, gives the others `delay` to join it, writes.
  private func writeBatches() {
    while true {
      condition.lock()
      while pending.isEmpty { condition.wait() }
      if pending.count < Self.batchBytes {
        _ = condition.wait(until: Date(timeIntervalSinceNow: delay))
      }
      condition.unlock()
      flush()
    }
  }
}
