import Fluent
import FluentPostgresDriver
import Foundation
import SQLKit
import Vapor

/// Before `serve` accepts requests: apply pending migrations and, on an empty deployment,
/// create the first company and admin.
struct ServeBootstrap: LifecycleHandler {
  func willBootAsync(_ app: Application) async throws {
    let command = app.environment.arguments.dropFirst().first
    guard command == nil || command == "serve" else { return }
    try await Migrate.run(app)
    try await StoredTrackerPolicyCheck.warn(
      database: app.db, policy: app.appConfig.outbound, logger: app.logger)
    let companies = CompanyService(database: app.db, hasher: app.passwordHasher)
    if let generated = try await companies.bootstrapIfEmpty(config: app.appConfig) {
      // Shown once on the console, deliberately not in the JSON log.
      FileHandle.standardError.write(
        Data(
          """

          ============================================================
          Promptsmith created the first admin account:
            e-mail:   \(generated.email)
            password: \(generated.password)
          Store it now: it is not shown again. Set ADMIN_PASSWORD to choose it.
          ============================================================

          """.utf8))
    }
  }
}

/// Applies migrations; on PostgreSQL under an advisory lock, so that several processes
/// starting together migrate once.
enum Migrate {
  static let lockKey: Int64 = 0x5052_4F4D_5054  // "PROMPT"

  static func run(_ app: Application) async throws {
    guard app.db.engine == .postgres else {
      // WAL lets readers run beside the single writer and a separate worker process share the
      // file; the mode persists in the database file.
      if case .sqliteFile = app.appConfig.database {
        try await app.db.sql.raw("PRAGMA journal_mode=WAL").run()
      }
      try await app.autoMigrate()
      return
    }
    try await app.db.sql.withSession { session in
      _ = try await session.raw("SELECT pg_advisory_lock(\(bind: lockKey))").all()
      do {
        try await app.autoMigrate()
      } catch {
        _ = try? await session.raw("SELECT pg_advisory_unlock(\(bind: lockKey))").all()
        throw error
      }
      _ = try await session.raw("SELECT pg_advisory_unlock(\(bind: lockKey))").all()
    }
  }
}
