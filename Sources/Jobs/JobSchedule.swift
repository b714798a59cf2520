import Foundation

/// One entity a schedule runs for, e.g. one tracker connection.
public struct ScheduledEntity: Sendable, Equatable {
  /// Stable identity, part of the unique key (e.g. the tracker's id).
  public var id: String
  /// How often it runs (e.g. every 5 minutes; configurable per tracker).
  public var interval: Duration
  /// The job's payload, as JSON text.
  public var payload: String
  /// Whose jobs these are (e.g. the tracker's company); `nil` for the deployment's own.
  public var tenant: String?

  /// An entity with a JSON payload given as text.
  public init(id: String, interval: Duration, payloadJSON: String = "{}", tenant: String? = nil) {
    self.id = id
    self.interval = interval
    self.payload = payloadJSON
    self.tenant = tenant
  }
}

/// Periodic work declared in code: a job kind run every interval for each of a list of
/// entities.
public struct JobSchedule: Sendable {
  /// The kind enqueued.
  public var kind: JobKind
  /// The queue enqueued to.
  public var queue: String
  /// Attempts per run; `nil` takes the configuration's.
  public var maxAttempts: Int?
  /// The entities to run for, read at every scheduler tick.
  public var entities: @Sendable () async throws -> [ScheduledEntity]

  /// Runs `kind` for each entity `entities` returns, each at its own interval: "every
  /// tracker every N minutes", with the trackers read from the database by the closure.
  public static func perEntity(
    _ kind: JobKind,
    queue: String = JobQueue.defaultQueueName,
    maxAttempts: Int? = nil,
    entities: @escaping @Sendable () async throws -> [ScheduledEntity]
  ) -> JobSchedule {
    JobSchedule(kind: kind, queue: queue, maxAttempts: maxAttempts, entities: entities)
  }

  /// Runs `kind` every `interval` (entity `global`).
  public static func every(
    _ interval: Duration,
    _ kind: JobKind,
    payloadJSON: String = "{}",
    queue: String = JobQueue.defaultQueueName,
    maxAttempts: Int? = nil
  ) -> JobSchedule {
    let entity = ScheduledEntity(id: "global", interval: interval, payloadJSON: payloadJSON)
    return perEntity(kind, queue: queue, maxAttempts: maxAttempts) { [entity] }
  }
}

/// Time slots: the run of an entity in slot `n` covers `[n × interval, (n + 1) × interval)`
/// since the Unix epoch, so every process computes the same slots.
public enum ScheduleSlot {
  /// The start of the slot containing `date`.
  public static func start(of date: Date, interval: Duration) -> Date {
    let seconds = max(interval.timeInterval, 1)
    return Date(
      timeIntervalSince1970: (date.timeIntervalSince1970 / seconds).rounded(.down) * seconds)
  }

  /// The unique key of one slot's run: `kind:entity:slot start in Unix seconds`.
  public static func uniqueKey(kind: JobKind, entity: String, slotStart: Date) -> String {
    "\(kind.rawValue):\(entity):\(Int64(slotStart.timeIntervalSince1970))"
  }
}
