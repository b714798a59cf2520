import Foundation
import Testing

@testable import App

@Suite struct ConfigTests {
  static let key = Data(repeating: 1, count: 32).base64EncodedString()

  @Test func productionRefusesToStartWithoutAStrongSecret() {
    #expect {
      try AppConfig.load(environment: [:], isProduction: true)
    } throws: { error in
      "\(error)".contains("JWT_SECRET: required in production")
    }
    #expect {
      try AppConfig.load(environment: ["JWT_SECRET": "short"], isProduction: true)
    } throws: { error in
      "\(error)".contains("JWT_SECRET: must be at least 32 bytes, got 5")
    }
  }

  @Test func everyProblemIsReportedAtOnce() {
    #expect {
      try AppConfig.load(
        environment: [
          "DATABASE_URL": "mysql://x", "LOG_LEVEL": "loud", "TRUSTED_PROXIES": "not-an-ip",
          "ADMIN_PASSWORD": "short",
        ], isProduction: true)
    } throws: { error in
      let problems = (error as? ConfigError)?.problems ?? []
      return problems.count == 6
        && [
          "DATABASE_URL", "JWT_SECRET", "LOG_LEVEL", "TRUSTED_PROXIES", "ADMIN_PASSWORD",
          "ENCRYPTION_KEY",
        ]
        .allSatisfy { name in problems.contains { $0.hasPrefix(name) } }
    }
  }

  @Test func developmentGeneratesAndKeepsASecret() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("ps-config-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: folder) }
    var warnings: [String] = []
    let environment = ["DATABASE_URL": "sqlite://\(folder)/promptsmith.sqlite"]
    // act
    let first = try AppConfig.load(
      environment: environment, isProduction: false, warn: { warnings.append($0) })
    let second = try AppConfig.load(environment: environment, isProduction: false)
    // check
    #expect(first.jwtSecret.count >= 32)
    #expect(first.jwtSecret == second.jwtSecret)
    #expect(warnings.count == 1 && warnings[0].contains("JWT_SECRET is not set"))
    let attributes = try FileManager.default.attributesOfItem(atPath: "\(folder)/jwt-secret")
    #expect((attributes[.posixPermissions] as? Int) == 0o600)
  }

  @Test func databaseURLsAreParsed() throws {
    let defaults = try AppConfig.load(
      environment: ["JWT_SECRET": String(repeating: "k", count: 40)], isProduction: false)
    #expect(defaults.database == .sqliteFile(path: "./data/promptsmith.sqlite"))
    #expect(defaults.adminEmail == "admin@promptsmith.local")
    let postgres = try AppConfig.load(
      environment: [
        "JWT_SECRET": String(repeating: "k", count: 40),
        "DATABASE_URL": "postgres://u:p@db:5432/app", "ENCRYPTION_KEY": Self.key,
      ], isProduction: true)
    #expect(postgres.database == .postgres(url: "postgres://u:p@db:5432/app"))
  }

  @Test func trustedProxiesDecideWhichForwardedAddressIsBelieved() throws {
    let proxies = try TrustedProxies(parsing: "10.0.0.0/8, ::1")
    #expect(
      proxies.clientAddress(peer: "10.1.2.3", forwardedFor: ["203.0.113.9, 10.0.0.7"])
        == "203.0.113.9")
    #expect(
      proxies.clientAddress(peer: "198.51.100.1", forwardedFor: ["1.2.3.4"]) == "198.51.100.1")
    #expect(proxies.clientAddress(peer: "::1", forwardedFor: ["2001:db8::5"]) == "2001:db8::5")
    #expect(proxies.clientAddress(peer: "10.0.0.1", forwardedFor: ["garbage"]) == "10.0.0.1")
    #expect(
      TrustedProxies.none.clientAddress(peer: "10.0.0.1", forwardedFor: ["1.2.3.4"]) == "10.0.0.1")
    #expect(throws: (any Error).self) { try TrustedProxies(parsing: "10.0.0.0/33") }
  }
}
