import ConsoleKit
import Foundation
import Testing
import Vapor

@testable import App

/// `promptsmith --help` and `COMMAND --help`, answered before the application is built.
@Suite struct CommandHelpTests {
  @Test func theOverviewListsEveryCommandTheApplicationRuns() async throws {
    let app = try await Application.make(.testing)
    do {
      try await configure(app, config: testConfig(.sqliteMemory))
      let registered = Set(app.asyncCommands.commands.keys)
      let tools = ["tokens", "render", "lint", "validate", "templates"]
      // act
      let help = try #require(CommandCatalog.help(for: ["--help"]))
      // check
      #expect(help.status == 0)
      let listed = Set(
        help.text.split(separator: "\n").drop { $0 != "Commands:" }.dropFirst()
          .compactMap { $0.split(separator: " ").first.map(String.init) }
          .filter { !$0.hasPrefix("Use") })
      #expect(listed == registered.union(tools))
      #expect(registered.isSuperset(of: ["serve", "migrate", "routes", "worker", "user"]))
    } catch {
      try await app.asyncShutdown()
      throw error
    }
    try await app.asyncShutdown()
  }

  @Test(arguments: [
    (["serve", "--help"], "--with-worker"),
    (["-h"], "validate"),
    (["help", "tokens"], "usage: promptsmith tokens"),
    (["help", "migrate"], "--yes"),
    (["user", "create", "-h"], "--password-stdin"),
    (["worker", "--concurrency", "--help"], "--queues"),
  ])
  func eachCommandHasItsHelp(arguments: [String], expected: String) throws {
    let help = try #require(CommandCatalog.help(for: arguments))
    #expect(help.status == 0)
    #expect(help.text.contains(expected), "\(arguments): \(help.text)")
  }

  @Test func anUnknownCommandIsAnErrorAndNoHelpFlagIsNoHelp() throws {
    let unknown = try #require(CommandCatalog.help(for: ["nope", "--help"]))
    #expect(unknown.status == 2 && unknown.text.contains("nope"))
    #expect(CommandCatalog.help(for: []) == nil)
    #expect(CommandCatalog.help(for: ["serve", "--port", "9000"]) == nil)
  }
}
