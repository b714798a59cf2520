import AsyncHTTPClient
import Foundation
import Logging
import NIOConcurrencyHelpers
import Testing

@testable import Trackers

/// Loads the copied shared fixtures (`Fixtures/…`).
enum Fixtures {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

  static func data(_ name: String) -> Data {
    // swift-format-ignore: NeverUseForceTry
    try! Data(contentsOf: root.appendingPathComponent(name))
  }

  static func text(_ name: String) -> String {
    String(decoding: data(name), as: UTF8.self)
  }

  static func json(_ name: String) -> JSONValue {
    // swift-format-ignore: NeverUseForceTry
    try! JSONValue(parsing: data(name))
  }
}

/// Runs `body` with a fake server and an HTTP client, shutting both down afterwards.
func withFakeServer<T>(
  _ handler: @escaping @Sendable (FakeRequest) -> FakeResponse,
  _ body: (FakeServer, HTTPClient) async throws -> T
) async throws -> T {
  let server = try await FakeServer(handler: handler)
  let client = HTTPClient(eventLoopGroupProvider: .singleton)
  do {
    let result = try await body(server, client)
    try await client.shutdown()
    try await server.shutdown()
    return result
  } catch {
    try? await client.shutdown()
    try? await server.shutdown()
    throw error
  }
}

/// A retry policy that records its delays instead of sleeping.
final class RecordedSleeps: Sendable {
  private let box = NIOLockedValueBox<[TimeInterval]>([])
  var delays: [TimeInterval] { box.withLockedValue { $0 } }

  func policy(maxAttempts: Int = 5, jitter: Double = 0.5) -> RetryPolicy {
    let box = self.box
    return RetryPolicy(
      maxAttempts: maxAttempts, random: { jitter },
      sleep: { seconds in box.withLockedValue { $0.append(seconds) } })
  }
}

/// An access-token provider like the App's: hands out the current token, refreshes on demand.
final class FakeTokenProvider: AccessTokenProvider {
  private let state: NIOLockedValueBox<(current: String, next: [String], refreshes: Int)>
  private let failRefresh: Bool

  init(current: String, next: [String] = [], failRefresh: Bool = false) {
    state = NIOLockedValueBox((current, next, 0))
    self.failRefresh = failRefresh
  }

  var refreshes: Int { state.withLockedValue { $0.refreshes } }

  func accessToken() async throws -> String {
    state.withLockedValue { $0.current }
  }

  func refreshAfterUnauthorized() async throws -> String {
    if failRefresh { throw TrackerError.invalidGrant("invalid_grant") }
    return state.withLockedValue { state in
      state.refreshes += 1
      if !state.next.isEmpty { state.current = state.next.removeFirst() }
      return state.current
    }
  }
}

/// Captures log lines so tests can check that no credential is ever logged.
final class CapturingLogs: Sendable {
  private let box = NIOLockedValueBox<[String]>([])
  var lines: [String] { box.withLockedValue { $0 } }

  var logger: Logger {
    let box = self.box
    var logger = Logger(label: "test") { _ in CapturingHandler(box: box) }
    logger.logLevel = .trace
    return logger
  }

  private struct CapturingHandler: LogHandler {
    let box: NIOLockedValueBox<[String]>
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
      get { metadata[key] }
      set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
      let merged = metadata.merging(event.metadata ?? [:]) { $1 }
      box.withLockedValue { $0.append("\(event.message) \(merged)") }
    }
  }
}

/// Collects every page of a stream.
func collect(_ pages: TrackerPages) async throws -> [TrackerPage] {
  var result: [TrackerPage] = []
  for try await page in pages { result.append(page) }
  return result
}
