import Foundation

/// The queue's settings, read from the `JOBS_*` environment variables.
public struct JobsConfiguration: Sendable, Equatable {
  /// How long a claimed job is leased (`JOBS_LEASE_SECONDS`, default 30); renewed every third.
  public var leaseDuration: Duration
  /// How often an idle worker looks for due jobs (`JOBS_POLL_INTERVAL_MS`, default 1000).
  public var pollInterval: Duration
  /// Attempts before a job is dead, unless the enqueue says otherwise (`JOBS_MAX_ATTEMPTS`,
  /// default 10).
  public var maxAttempts: Int
  /// How long finished jobs are kept before pruning (`JOBS_RETENTION_DAYS`, default 7).
  public var retention: Duration

  /// The defaults: 30 s lease, 1 s poll, 10 attempts, 7 days retention.
  public init(
    leaseDuration: Duration = .seconds(30),
    pollInterval: Duration = .milliseconds(1000),
    maxAttempts: Int = 10,
    retention: Duration = .seconds(7 * 86_400)
  ) {
    self.leaseDuration = leaseDuration
    self.pollInterval = pollInterval
    self.maxAttempts = maxAttempts
    self.retention = retention
  }

  /// Reads `JOBS_LEASE_SECONDS`, `JOBS_POLL_INTERVAL_MS`, `JOBS_MAX_ATTEMPTS` and
  /// `JOBS_RETENTION_DAYS`; an unset variable keeps its default.
  ///
  /// - Throws: ``JobsConfigurationError`` naming every variable that is not a positive integer.
  public init(environment: [String: String]) throws {
    self.init()
    var invalid: [String] = []
    func read(_ name: String) -> Int? {
      guard let raw = environment[name] else { return nil }
      guard let value = Int(raw.trimmingCharacters(in: .whitespaces)), value > 0 else {
        invalid.append(name)
        return nil
      }
      return value
    }
    if let seconds = read("JOBS_LEASE_SECONDS") { leaseDuration = .seconds(seconds) }
    if let milliseconds = read("JOBS_POLL_INTERVAL_MS") {
      pollInterval = .milliseconds(milliseconds)
    }
    if let attempts = read("JOBS_MAX_ATTEMPTS") { maxAttempts = attempts }
    if let days = read("JOBS_RETENTION_DAYS") { retention = .seconds(days * 86_400) }
    if !invalid.isEmpty { throw JobsConfigurationError(invalidVariables: invalid) }
  }
}

/// Environment variables that are set but not positive integers.
public struct JobsConfigurationError: Error, Equatable, CustomStringConvertible {
  /// The names of the offending variables.
  public let invalidVariables: [String]

  public var description: String {
    "not a positive integer: \(invalidVariables.joined(separator: ", "))"
  }
}

extension Duration {
  /// The duration in seconds, as a floating-point number.
  var timeInterval: TimeInterval {
    let (seconds, attoseconds) = components
    return Double(seconds) + Double(attoseconds) / 1e18
  }
}
