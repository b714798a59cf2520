import Fluent
import Foundation
import Testing
import Trackers
import Vapor
import VaporTesting

@testable import App

/// A configuration for tests: an in-memory SQLite or a fresh PostgreSQL database, a fixed
/// secret and a low bcrypt cost so that the suite stays fast.
/// The server contacts loopback addresses only, as every test must.
func testConfig(_ location: AppConfig.DatabaseLocation) -> AppConfig {
  var config = AppConfig(
    database: location, jwtSecret: Array("test-secret-that-is-at-least-32-bytes".utf8),
    adminEmail: "admin@example.com", adminPassword: "admin-password-123",
    companyName: "Acme", logLevel: .warning, bcryptCost: 4)
  config.outbound = testOutboundPolicy
  return config
}

/// The made-up tracker hosts the tests use (RFC 2606 names and two vendor-looking sites),
/// "resolved" to loopback without DNS; with `onlyAllowed` nothing else can be reached.
let testTrackerHosts = [
  "jira.example.com", "a.example", "x.example", "tw.example", "acme.teamwork.com",
  "acme.atlassian.net", "acme-shop.atlassian.net",
]
let testOutboundPolicy: OutboundPolicy = {
  var policy = OutboundPolicy.loopbackOnly(
    resolver: .fixed(Dictionary(uniqueKeysWithValues: testTrackerHosts.map { ($0, ["127.0.0.1"]) }))
  )
  policy.allowedHostNames.formUnion(testTrackerHosts)
  return policy
}()

/// Runs `body` with a migrated application on `database`, and always shuts it down.
func withTestApp(
  _ database: TestDatabase, configure adjust: (inout AppConfig) -> Void = { _ in },
  _ body: (TestContext) async throws -> Void
) async throws {
  var postgresURL: String?
  let location: AppConfig.DatabaseLocation
  switch database {
  case .sqlite:
    location = .sqliteMemory
  case .postgres:
    let url = try await PostgresTestDatabases.shared.create { templateURL in
      let app = try await Application.make(.testing)
      do {
        try await configure(app, config: testConfig(.postgres(url: templateURL)))
        try await app.autoMigrate()
      } catch {
        try await app.asyncShutdown()
        throw error
      }
      try await app.asyncShutdown()
    }
    postgresURL = url
    location = .postgres(url: url)
  }
  let app = try await Application.make(.testing)
  var config = testConfig(location)
  adjust(&config)
  do {
    try await configure(app, config: config)
    if database == .sqlite {
      try await app.autoMigrate()
    }
    let context = try await TestContext(app: app)
    try await body(context)
  } catch {
    try await app.asyncShutdown()
    if let postgresURL { PostgresTestDatabases.shared.drop(url: postgresURL) }
    throw error
  }
  try await app.asyncShutdown()
  if let postgresURL { PostgresTestDatabases.shared.drop(url: postgresURL) }
}

func withSQLiteFile(_ body: (Application) async throws -> Void) async throws {
  try await withSQLiteFileAt { app, _ in try await body(app) }
}

/// An application on a WAL file of its own, as `serve` runs the embedded default: with the
/// writer, its checkpointer and the readers that an in-memory database has not.
func withSQLiteFileAt(_ body: (Application, String) async throws -> Void) async throws {
  let folder = FileManager.default.temporaryDirectory
    .appendingPathComponent("promptsmith-sqlite-file-\(UUID().uuidString)")
  defer { try? FileManager.default.removeItem(at: folder) }
  let path = folder.appendingPathComponent("db.sqlite").path
  let app = try await Application.make(.testing)
  do {
    try await configure(app, config: testConfig(.sqliteFile(path: path)))
    try await Migrate.run(app)
    try await body(app, path)
  } catch {
    try await app.asyncShutdown()
    throw error
  }
  try await app.asyncShutdown()
}
