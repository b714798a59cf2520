/// Where a job is in its life.
///
/// `available` and `retryable` jobs wait for their `run_at`; `running` jobs hold a lease;
/// `succeeded`, `dead` and `cancelled` are final. `dead` is the dead-letter state: the job used
/// all its attempts and stays for inspection and a manual retry.
public enum JobState: String, Sendable, Codable, CaseIterable, Hashable {
  /// Waiting to run at `run_at` (never attempted, or released by a stopping worker).
  case available
  /// Claimed by a worker that holds its lease.
  case running
  /// Finished successfully.
  case succeeded
  /// Failed at least once; runs again at `run_at` (after the backoff).
  case retryable
  /// Failed on its last attempt (or permanently): kept for inspection and manual retry.
  case dead
  /// Cancelled by an operator; never runs again unless retried.
  case cancelled

  /// States in which a job is still to run; a unique key is unique among these.
  public static let pending: [JobState] = [.available, .running, .retryable]

  /// States a worker claims from once `run_at` has passed.
  public static let claimable: [JobState] = [.available, .retryable]

  /// Final states; jobs in them are pruned after the retention period.
  public static let finished: [JobState] = [.succeeded, .dead, .cancelled]

  /// Whether the job will not run again on its own.
  public var isFinished: Bool { Self.finished.contains(self) }
}
