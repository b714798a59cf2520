import Foundation
import Jobs
import Logging
import NIOPosix
import PostgresKit

/// `LISTEN` on a dedicated PostgreSQL connection, so that a worker starts a new job within
/// milliseconds of its enqueue instead of at the next poll.
public struct PostgresJobNotifier: JobNotifier {
  let url: String
  let logger: Logger

  /// A notifier that connects to `url` when a worker starts listening.
  public init(url: String, logger: Logger) {
    self.url = url
    self.logger = logger
  }

  public func listen(
    channel: String, onNotification: @escaping @Sendable (String) -> Void
  ) async throws {
    let configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
    let connection = try await PostgresConnection.connect(
      on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: 1,
      logger: logger
    ).get()
    do {
      try await connection.listen(on: channel) { notifications in
        for try await notification in notifications {
          onNotification(notification.payload)
        }
      }
    } catch {
      try? await connection.close().get()
      throw error
    }
    try await connection.close().get()
  }
}
