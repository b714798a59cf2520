import Foundation
import Testing
import Vapor

@testable import App

/// The official Python SDK (PyPI `mcp`, installed into `.venv` by scripts/test.sh) as a second,
/// independent client: scripts/mcp-client-check.py against the running server.
@Suite struct MCPPythonClientTests {
  static let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let python = packageRoot.appendingPathComponent(".venv/bin/python")
  static var available: Bool {
    FileManager.default.isExecutableFile(atPath: python.path)
  }

  @Test(arguments: TestDatabase.all)
  func thePythonSDKDrivesEveryCapability(_ database: TestDatabase) async throws {
    guard Self.available else {
      // CI (scripts/test.sh) installs it and sets REQUIRE_MCP_PYTHON; elsewhere it is optional.
      #expect(ProcessInfo.processInfo.environment["REQUIRE_MCP_PYTHON"] == nil, "no .venv python")
      return
    }
    try await withTestApp(database) { ctx in
      let f = try await MCPFixture.make(ctx)
      try await withRunningServer(ctx.app) { endpoint in
        let (status, output) = try await Self.run(
          Self.python.path,
          [
            Self.packageRoot.appendingPathComponent("scripts/mcp-client-check.py").path,
            endpoint.absoluteString, f.pat,
          ])
        #expect(status == 0, "\(output)")
        #expect(output.contains("python MCP client: all checks passed"), "\(output)")
      }
      let events = try await GenerationEvent.query(on: ctx.app.db).all()
      #expect(events.count == 2 && events.allSatisfy { $0.ide == "cursor" })
    }
  }

  /// Runs a process off the cooperative pool and returns its status and combined output.
  static func run(_ executable: String, _ arguments: [String]) async throws -> (Int32, String) {
    try await withCheckedThrowingContinuation { continuation in
      let process = Process()
      process.executableURL = URL(fileURLWithPath: executable)
      process.arguments = arguments
      let pipe = Pipe()
      process.standardOutput = pipe
      process.standardError = pipe
      process.terminationHandler = { process in
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        continuation.resume(
          returning: (process.terminationStatus, String(decoding: data, as: UTF8.self)))
      }
      do {
        try process.run()
      } catch {
        continuation.resume(throwing: error)
      }
    }
  }
}
