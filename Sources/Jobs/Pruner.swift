import Foundation
import SQLKit

extension JobQueue {
  /// Deletes finished jobs (succeeded, dead, cancelled) that finished before `retention` ago,
  /// `batchSize` rows per statement so that no statement holds locks for long.
  ///
  /// - Parameter retention: Defaults to the configuration's retention.
  /// - Returns: How many jobs were deleted.
  @discardableResult
  public func prune(olderThan retention: Duration? = nil, batchSize: Int = 1000) async throws
    -> Int
  {
    let cutoff = clock.now().addingTimeInterval(
      -(retention ?? configuration.retention).timeInterval)
    var total = 0
    while true {
      let deleted = try await write { database in
        try await database.raw(
          """
          DELETE FROM jobs WHERE id IN (SELECT id FROM jobs \
          WHERE state IN ('succeeded', 'dead', 'cancelled') AND finished_at < \(bind: cutoff) \
          LIMIT \(bind: batchSize)) RETURNING id
          """
        ).all().count
      }
      total += deleted
      if deleted < batchSize { return total }
    }
  }
}
