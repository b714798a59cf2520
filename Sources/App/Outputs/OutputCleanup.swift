import Fluent
import Foundation
import Logging
import SQLKit

/// The `cleanup-old-outputs` job: removes blobs no output references once they are older than
/// the grace period (rows and objects), and stored objects that have no blob row (written by an
/// upload that never committed).
enum OutputCleanup {
  static let gracePeriod: TimeInterval = 24 * 60 * 60

  struct Report: Sendable, Equatable {
    /// Blob rows (and their objects) removed because no output referenced them.
    var unreferencedBlobs = 0
    /// Objects removed because no blob row named them.
    var orphanObjects = 0
  }

  static func run(
    database: any Database, storage: any BlobStorage, logger: Logger, now: Date = Date(),
    gracePeriod: TimeInterval = OutputCleanup.gracePeriod
  ) async throws -> Report {
    let cutoff = now.addingTimeInterval(-gracePeriod)
    var report = Report()
    let candidates = try await Blob.query(on: database)
      .filter(\.$createdAt < cutoff).all()
    for blob in candidates {
      guard let sha256 = blob.id, let key = BlobKey(sha256: sha256) else { continue }
      // The row goes first, and only while no output references it (an upload that then
      // meets the missing row writes the object again); the foreign key refuses the delete if
      // an output arrives in between.
      do {
        try await database.singleWrite { database in
          try await database.sql.raw(
            """
            DELETE FROM blobs WHERE sha256 = \(bind: sha256)
            AND NOT EXISTS (SELECT 1 FROM outputs WHERE blob_sha256 = \(bind: sha256))
            """
          ).run()
        }
      } catch let error as any DatabaseError where error.isConstraintFailure {
        continue
      }
      guard try await Blob.find(sha256, on: database) == nil else { continue }
      try await storage.delete(key: key)
      report.unreferencedBlobs += 1
    }
    for object in try await storage.list() where object.modifiedAt < cutoff {
      if let key = object.key, try await Blob.find(key.sha256, on: database) != nil { continue }
      try await storage.delete(path: object.path)
      report.orphanObjects += 1
    }
    logger.info(
      "Output cleanup done",
      metadata: [
        "unreferencedBlobs": .stringConvertible(report.unreferencedBlobs),
        "orphanObjects": .stringConvertible(report.orphanObjects),
        "storage": .string(storage.kind),
      ])
    return report
  }
}
