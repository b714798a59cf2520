import Foundation
import Jobs
import Logging
import NIOPosix
import PostgresKit

/// `LISTEN` on a dedicated PostgresNIO connection: the implementation the App uses too.
struct PostgresTestNotifier: JobNotifier {
  let url: String

  func listen(
    channel: String, onNotification: @escaping @Sendable (String) -> Void
  ) async throws {
    let configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
    let connection = try await PostgresConnection.connect(
      on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: 1,
      logger: TestDatabase.logger
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
