import Foundation
import Testing

@testable import App

@Suite struct EventLoopCountTests {
  static let local = "postgres://promptsmith@127.0.0.1:5432/promptsmith"

  @Test func oneLoopPerCoreUnlessPostgreSQLSharesTheMachine() {
    let choose = { (environment: [String: String]) in
      EventLoopCount.chosen(environment: environment, cores: 4)
    }
    #expect(choose([:]) == 4)
    #expect(choose(["DATABASE_URL": "sqlite://./data/promptsmith.sqlite"]) == 4)
    #expect(choose(["DATABASE_URL": "postgres://db.internal.example:5432/promptsmith"]) == 4)
    #expect(choose(["DATABASE_URL": Self.local]) == 3)
    #expect(EventLoopCount.chosen(environment: ["DATABASE_URL": Self.local], cores: 2) == 1)
    #expect(EventLoopCount.chosen(environment: ["DATABASE_URL": Self.local], cores: 1) == 1)
  }

  @Test func eventLoopsOverridesTheDefaultAndAnInvalidValueIsRefusedAtLoad() throws {
    let local = ["DATABASE_URL": Self.local]
    #expect(
      EventLoopCount.chosen(environment: local.merging(["EVENT_LOOPS": "2"]) { $1 }, cores: 2) == 2)
    #expect(EventLoopCount.chosen(environment: ["EVENT_LOOPS": "1"], cores: 8) == 1)
    for invalid in ["0", "-1", "257", "two", "1.5"] {
      let environment = local.merging(["EVENT_LOOPS": invalid]) { $1 }
      // The loops are made before the configuration is checked: the default stands in until
      // the load below stops the process.
      #expect(EventLoopCount.chosen(environment: environment, cores: 2) == 1)
      #expect {
        try AppConfig.load(
          environment: environment.merging([
            "JWT_SECRET": String(repeating: "s", count: 32),
            "ENCRYPTION_KEY": Data(repeating: 1, count: 32).base64EncodedString(),
          ]) { $1 }, isProduction: false)
      } throws: { error in
        (error as? ConfigError)?.problems == [
          "EVENT_LOOPS: must be a whole number from 1 to 256, got \"\(invalid)\""
        ]
      }
    }
    #expect(EventLoopCount.problem(in: ["EVENT_LOOPS": "256"]) == nil)
    #expect(EventLoopCount.problem(in: ["EVENT_LOOPS": ""]) == nil)
  }

  @Test func onlyALoopbackHostIsThisMachine() {
    for url in [
      "postgres://u@localhost/db", "postgresql://u@LOCALHOST:5433/db", "postgres://u@127.0.0.1/db",
      "postgres://u@127.1.2.3:6543/db", "postgres://u@[::1]:5432/db",
    ] {
      #expect(EventLoopCount.isPostgresOnThisMachine(url), "\(url)")
    }
    for url in [
      "postgres://u@db.example.com/db", "postgres://u@10.0.0.5/db", "postgres://u@[2001:db8::1]/db",
      "postgres://u@localhost.example.com/db", "sqlite://127.0.0.1.sqlite", "sqlite::memory:",
      "mysql://u@localhost/db",
    ] {
      #expect(!EventLoopCount.isPostgresOnThisMachine(url), "\(url)")
    }
  }

  @Test func fewerLoopsShareTheSameConnections() {
    #expect(EventLoopCount.connectionsPerLoop(loops: 2, cores: 2) == 8)
    #expect(EventLoopCount.connectionsPerLoop(loops: 1, cores: 2) == 16)
    #expect(EventLoopCount.connectionsPerLoop(loops: 3, cores: 4) == 11)
    // More loops than cores never get fewer connections each than before.
    #expect(EventLoopCount.connectionsPerLoop(loops: 8, cores: 2) == 8)
  }
}
