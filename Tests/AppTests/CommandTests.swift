import ConsoleKit
import Fluent
import Foundation
import Testing
import Vapor

@testable import App

/// The server-side commands: first-start bootstrap, `user create`, `company create`.
@Suite struct CommandTests {
  func withEmptyApp(_ body: (Application) async throws -> Void) async throws {
    let app = try await Application.make(.testing)
    do {
      var config = testConfig(.sqliteMemory)
      config.adminPassword = nil
      try await configure(app, config: config)
      try await body(app)
    } catch {
      try await app.asyncShutdown()
      throw error
    }
    try await app.asyncShutdown()
  }

  func run(_ command: some AsyncCommand, _ arguments: [String], on app: Application) async throws {
    var context = CommandContext(
      console: Terminal(), input: CommandInput(arguments: ["promptsmith"] + arguments))
    context.application = app
    try await command.run(using: &context)
  }

  @Test func serveMigratesAndCreatesTheFirstAdminOnce() async throws {
    try await withEmptyApp { app in
      app.environment.arguments = ["promptsmith", "serve"]
      // act
      try await ServeBootstrap().willBootAsync(app)
      try await ServeBootstrap().willBootAsync(app)
      // check
      let users = try await User.query(on: app.db).all()
      #expect(users.count == 1)
      #expect(users.first?.email == "admin@example.com" && users.first?.role == .admin)
      #expect(try await Company.query(on: app.db).first()?.name == "Acme")
    }
  }

  @Test func otherCommandsDoNotBootstrap() async throws {
    try await withEmptyApp { app in
      app.environment.arguments = ["promptsmith", "routes"]
      try await ServeBootstrap().willBootAsync(app)
      try await app.autoMigrate()
      #expect(try await User.query(on: app.db).count() == 0)
    }
  }

  @Test func userAndCompanyCreateFromTheCommandLine() async throws {
    try await withEmptyApp { app in
      await #expect(throws: CommandFailure.self) {
        try await run(
          UserCreateCommand(readPassword: { "a-long-password" }),
          ["--email", "a@b.io", "--name", "Ann", "--role", "lead", "--password-stdin"], on: app)
      }
      try await run(
        CompanyCreateCommand(readPassword: { "company-password" }),
        ["--name", "Globex", "--admin-email", "boss@globex.io", "--admin-password-stdin"], on: app)
      try await run(
        UserCreateCommand(readPassword: { "a-long-password" }),
        ["--email", "Ann@B.io", "--name", "Ann", "--role", "lead", "--password-stdin"], on: app)
      let ann = try #require(
        try await User.query(on: app.db).filter(\.$email == "ann@b.io").first())
      #expect(ann.role == .lead)
      await #expect(throws: CommandFailure.self) {
        try await run(
          UserCreateCommand(readPassword: { "short" }),
          ["--email", "c@b.io", "--name", "C", "--role", "lead", "--password-stdin"], on: app)
      }
      await #expect(throws: CommandFailure.self) {
        try await run(
          UserCreateCommand(readPassword: { "a-long-password" }),
          [
            "--email", "d@b.io", "--name", "D", "--role", "lead", "--password-stdin",
            "--company", UUID().uuidString,
          ], on: app)
      }
      await #expect(throws: CommandFailure.self) {
        try await run(UserCreateCommand(readPassword: { nil }), ["--email", "e@b.io"], on: app)
      }
    }
  }
}
