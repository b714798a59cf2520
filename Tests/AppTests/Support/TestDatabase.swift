import Foundation
import Testing

@testable import App

/// The databases every database test runs on: SQLite always, PostgreSQL when
/// `POSTGRES_TEST_URL` names a server (scripts/test.sh starts one and sets it).
enum TestDatabase: String, CaseIterable, Sendable, CustomTestStringConvertible {
  case sqlite
  case postgres

  static var all: [TestDatabase] {
    if postgresAdminURL != nil { return [.sqlite, .postgres] }
    precondition(
      ProcessInfo.processInfo.environment["REQUIRE_POSTGRES_TESTS"] != "1",
      "REQUIRE_POSTGRES_TESTS=1 but POSTGRES_TEST_URL is not set")
    return [.sqlite]
  }

  var testDescription: String { rawValue }

  static var postgresAdminURL: String? {
    ProcessInfo.processInfo.environment["POSTGRES_TEST_URL"].flatMap { $0.isEmpty ? nil : $0 }
  }
}

/// A fresh PostgreSQL database per test, cloned from a template migrated once per test run,
/// so that suites run in parallel without seeing each other's rows.
actor PostgresTestDatabases {
  static let shared = PostgresTestDatabases()
  /// One migration of the template per process; an actor is re-entrant across `await`, so
  /// later callers wait for this task instead of starting their own.
  private var template: Task<Void, any Error>?
  private let templateName = "promptsmith_template_\(ProcessInfo.processInfo.processIdentifier)"

  func create(migrate: @escaping @Sendable (String) async throws -> Void) async throws -> String {
    guard let adminURL = TestDatabase.postgresAdminURL else {
      throw TestSetupError("POSTGRES_TEST_URL is not set")
    }
    if template == nil {
      let name = templateName
      template = Task {
        try self.psql(adminURL, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        try self.psql(adminURL, "CREATE DATABASE \(name)")
        try await migrate(Self.url(adminURL, database: name))
      }
    }
    try await template!.value
    let name = "ps_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    try psql(adminURL, "CREATE DATABASE \(name) TEMPLATE \(templateName)")
    return Self.url(adminURL, database: name)
  }

  nonisolated func drop(url: String) {
    guard let adminURL = TestDatabase.postgresAdminURL,
      let name = URLComponents(string: url)?.path.dropFirst()
    else { return }
    try? psql(adminURL, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
  }

  static func url(_ adminURL: String, database: String) -> String {
    var components = URLComponents(string: adminURL)!
    components.path = "/" + database
    return components.string!
  }

  nonisolated private func psql(_ url: String, _ statement: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["psql", url, "-v", "ON_ERROR_STOP=1", "-q", "-c", statement]
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      let message = String(
        decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      throw TestSetupError("psql failed for \(statement): \(message)")
    }
  }
}

struct TestSetupError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
