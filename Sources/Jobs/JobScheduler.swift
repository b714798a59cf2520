import Foundation
import Logging
import ServiceLifecycle

/// Enqueues the runs of periodic schedules, once per entity and time slot however many
/// processes run a scheduler: each run carries the unique key `kind:entity:slot` and the key
/// is unique across finished jobs too (``JobRequest/Uniqueness/forever``).
public final class JobScheduler: Service, Sendable {
  private let queue: JobQueue
  private let schedules: [JobSchedule]
  private let tickInterval: Duration
  private let logger: Logger
  /// The last slot enqueued per `kind:entity`, to skip the database until the next slot.
  private let lastSlots = Locked([String: Date]())

  /// A scheduler that looks at its schedules every `tickInterval` (a run starts at most that
  /// late in its slot).
  public init(
    queue: JobQueue, schedules: [JobSchedule], tickInterval: Duration = .seconds(5),
    logger: Logger? = nil
  ) {
    self.queue = queue
    self.schedules = schedules
    self.tickInterval = tickInterval
    self.logger = logger ?? queue.logger
  }

  /// Ticks until graceful shutdown or cancellation.
  public func run() async throws {
    await cancelWhenGracefulShutdown {
      while !Task.isCancelled {
        await self.tick()
        try? await Task.sleep(for: self.tickInterval)
      }
    }
  }

  /// Enqueues the current slot's run of every schedule and entity not yet enqueued.
  ///
  /// - Returns: The jobs this tick inserted (runs another process enqueued are not included).
  @discardableResult
  public func tick() async -> [JobRecord] {
    var inserted: [JobRecord] = []
    for schedule in schedules {
      let entities: [ScheduledEntity]
      do {
        entities = try await schedule.entities()
      } catch {
        logger.error(
          "reading scheduled entities failed",
          metadata: ["kind": .string(schedule.kind.rawValue), "error": "\(error)"])
        continue
      }
      for entity in entities {
        do {
          if let job = try await enqueueSlot(schedule, entity) { inserted.append(job) }
        } catch {
          logger.error(
            "enqueueing scheduled job failed",
            metadata: [
              "kind": .string(schedule.kind.rawValue), "entity": .string(entity.id),
              "error": "\(error)",
            ])
        }
      }
    }
    return inserted
  }

  private func enqueueSlot(_ schedule: JobSchedule, _ entity: ScheduledEntity) async throws
    -> JobRecord?
  {
    let slot = ScheduleSlot.start(of: queue.clock.now(), interval: entity.interval)
    let memoKey = "\(schedule.kind.rawValue):\(entity.id)"
    if lastSlots.withLock({ $0[memoKey] == slot }) { return nil }
    let request = JobRequest(
      kind: schedule.kind, payloadJSON: entity.payload, queue: schedule.queue,
      uniqueKey: ScheduleSlot.uniqueKey(kind: schedule.kind, entity: entity.id, slotStart: slot),
      uniqueness: .forever, maxAttempts: schedule.maxAttempts, tenant: entity.tenant)
    let result = try await queue.enqueue(request)
    lastSlots.withLock { $0[memoKey] = slot }
    if result.inserted {
      logger.debug(
        "scheduled job enqueued",
        metadata: ["kind": .string(schedule.kind.rawValue), "entity": .string(entity.id)])
      return result.job
    }
    return nil
  }
}
