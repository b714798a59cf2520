import Foundation
import Vapor

/// What the local fakes of tracker APIs share: the fixtures of the tracker clients' tests, a
/// Vapor application on a free loopback port, its shutdown, and the timestamps of their JSON.
enum LoopbackFake {
  /// The parsed JSON of `Tests/TrackersTests/Fixtures/<path>`.
  static func fixture(_ path: String) throws -> Any {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("TrackersTests/Fixtures").appendingPathComponent(path)
    return try JSONSerialization.jsonObject(with: Data(contentsOf: url))
  }

  /// Starts `app`, its routes registered, on 127.0.0.1 at a port the system picks.
  static func listen(_ app: Application) throws {
    app.http.server.configuration.port = 0
    app.http.server.configuration.hostname = "127.0.0.1"
    try app.server.start()
  }

  static func baseURL(of app: Application) -> String {
    "http://127.0.0.1:\(app.http.server.shared.localAddress?.port ?? 0)"
  }

  static func stop(_ app: Application) async throws {
    await app.server.shutdown()
    try await app.asyncShutdown()
  }

  /// An RFC 3339 time with or without fractional seconds; the distant past otherwise.
  static func date(_ value: Any?) -> Date {
    (value as? String).flatMap(instant) ?? .distantPast
  }

  static func instant(_ text: String) -> Date? {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text)
  }
}
