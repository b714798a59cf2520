import Fluent
import Foundation
import Jobs
import Testing
import Vapor
import VaporTesting

@testable import App

/// The smaller items of the second security round: who reads `/metrics`, how long a session
/// lives, unknown refresh tokens, audit retention, the container's mode.
@Suite struct OperationsSecurityTests {
  @Test func metricsSettingsAreParsed() {
    var problems: [String] = []
    #expect(MetricsAccess.load(environment: [:], problems: &problems) == .open)
    #expect(
      MetricsAccess.load(environment: ["METRICS_TOKEN": "a-metrics-token-123"], problems: &problems)
        == .token("a-metrics-token-123"))
    #expect(
      MetricsAccess.load(environment: ["METRICS_PORT": "9464"], problems: &problems)
        == .separatePort(9464))
    #expect(problems.isEmpty)
    _ = MetricsAccess.load(
      environment: ["METRICS_TOKEN": "short", "METRICS_PORT": "x"], problems: &problems)
    _ = MetricsAccess.load(environment: ["METRICS_TOKEN": "short"], problems: &problems)
    _ = MetricsAccess.load(environment: ["METRICS_PORT": "70000"], problems: &problems)
    #expect(problems.count == 3)
  }

  @Test(arguments: TestDatabase.all)
  func metricsNeedTheirTokenWhenOneIsSet(_ database: TestDatabase) async throws {
    let withToken: (inout AppConfig) -> Void = { $0.metricsAccess = .token("metrics-token-0123") }
    try await withTestApp(database, configure: withToken) { ctx in
      #expect(try await ctx.send(.GET, "/metrics").status == .unauthorized)
      #expect(
        try await ctx.send(.GET, "/metrics", token: "wrong-token-0123456").status == .unauthorized)
      let admin = try await ctx.adminToken()
      #expect(try await ctx.send(.GET, "/metrics", token: admin).status == .unauthorized)
      let allowed = try await ctx.send(.GET, "/metrics", token: "metrics-token-0123")
      #expect(allowed.status == .ok && allowed.bodyString.contains("http_requests_total"))
    }
  }

  @Test func metricsOnTheirOwnPortAreNotOnTheAPIs() async throws {
    let port = try freeLoopbackPort()
    let withPort: (inout AppConfig) -> Void = { $0.metricsAccess = .separatePort(port) }
    try await withTestApp(.sqlite, configure: withPort) { ctx in
      #expect(try await ctx.send(.GET, "/metrics").status == .notFound)
      // `serve` starts it at boot; the test binary is not `serve`
      let listener = MetricsListener()
      try await listener.start(ctx.app, port: port)
      do {
        try await LiveServer.withClient { client in
          let metrics = try await client.send(.GET, "http://127.0.0.1:\(port)/metrics")
          #expect(metrics.status == 200 && metrics.body.contains("http_requests_total"))
          let other = try await client.send(.GET, "http://127.0.0.1:\(port)/health")
          #expect(other.status == 404)
        }
      } catch {
        await listener.shutdownAsync(ctx.app)
        throw error
      }
      await listener.shutdownAsync(ctx.app)
    }
  }

  @Test(arguments: TestDatabase.all)
  func aSessionEndsAfterItsMaximumLifetimeHoweverOftenRefreshed(_ database: TestDatabase)
    async throws
  {
    let twoDays: (inout AppConfig) -> Void = { $0.sessionMaxDays = 2 }
    try await withTestApp(database, configure: twoDays) { ctx in
      let first = try await ctx.login(ctx.adminEmail, ctx.adminPassword)
      let refreshed = try await ctx.send(
        .POST, "/auth/refresh", json: ["refreshToken": first.refreshToken])
      #expect(refreshed.status == .ok)
      let pair = try refreshed.content.decode(TokenPairResponse.self)
      // the session began three days ago
      try await RefreshTokenFamily.query(on: ctx.app.db)
        .set(\.$createdAt, to: Date().addingTimeInterval(-3 * 86_400)).update()
      let expired = try await ctx.send(
        .POST, "/auth/refresh", json: ["refreshToken": pair.refreshToken])
      #expect(expired.status == .unauthorized)
      let family = try #require(try await RefreshTokenFamily.query(on: ctx.app.db).first())
      #expect(family.revokedReason == "session lifetime ended")
    }
  }

  @Test(arguments: TestDatabase.all)
  func unknownRefreshTokensAreAuditedOncePerWindowAndLimited(_ database: TestDatabase)
    async throws
  {
    try await withTestApp(database) { ctx in
      var statuses: [HTTPStatus] = []
      for index in 0..<25 {
        let response = try await ctx.send(
          .POST, "/auth/refresh", json: ["refreshToken": "garbage-\(index)"])
        statuses.append(response.status)
      }
      #expect(statuses.prefix(20).allSatisfy { $0 == .unauthorized })
      #expect(statuses.suffix(5).allSatisfy { $0 == .tooManyRequests })
      let rows = try await AuditEvent.query(on: ctx.app.db)
        .filter(\.$action == AuditAction.refreshFailed.rawValue).count()
      #expect(rows == 1)
    }
  }

  @Test func unknownRefreshTokensRollOverWindows() {
    let counter = UnknownRefreshTokens(limit: 3)
    let start = Date(timeIntervalSince1970: 1_000_000)
    #expect(counter.note(network: "192.0.2.1", now: start).audit)
    #expect(!counter.note(network: "192.0.2.1", now: start.addingTimeInterval(1)).audit)
    #expect(counter.note(network: "198.51.100.1", now: start).audit)
    #expect(counter.note(network: "192.0.2.1", now: start.addingTimeInterval(2)).retryAfter == nil)
    #expect(counter.note(network: "192.0.2.1", now: start.addingTimeInterval(3)).retryAfter == 897)
    let next = counter.note(network: "192.0.2.1", now: start.addingTimeInterval(900))
    #expect(next.audit && next.previousWindowCount == 4 && next.retryAfter == nil)
  }

  @Test(arguments: TestDatabase.all)
  func auditRowsPastTheirRetentionAreDeleted(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      _ = try await ctx.adminToken()
      let before = try await AuditEvent.query(on: ctx.app.db).count()
      try await AuditEvent.query(on: ctx.app.db)
        .set(\.$createdAt, to: Date().addingTimeInterval(-40 * 86_400)).update()
      _ = try await ctx.adminToken()
      // act
      let kept = try await AuditRetention(days: 0).prune(database: ctx.app.db)
      let deleted = try await AuditRetention(days: 30).prune(database: ctx.app.db)
      // check
      #expect(kept == 0 && deleted == before && before > 0)
      #expect(try await AuditEvent.query(on: ctx.app.db).count() == 1)
    }
  }

  @Test func retentionAndLifetimeSettingsAreParsed() throws {
    let base = [
      "JWT_SECRET": String(repeating: "s", count: 32), "DATABASE_URL": "sqlite::memory:",
      "ENCRYPTION_KEY": ConfigTests.key,
    ]
    let defaults = try AppConfig.load(environment: base, isProduction: true)
    #expect(defaults.sessionMaxDays == 30 && defaults.auditRetentionDays == 365)
    var custom = base
    custom["SESSION_MAX_DAYS"] = "7"
    custom["AUDIT_RETENTION_DAYS"] = "0"
    let set = try AppConfig.load(environment: custom, isProduction: true)
    #expect(set.sessionMaxDays == 7 && set.auditRetentionDays == 0)
    custom["SESSION_MAX_DAYS"] = "0"
    #expect(throws: ConfigError.self) {
      try AppConfig.load(environment: custom, isProduction: true)
    }
  }

  @Test func theContainerRunsInProductionByDefault() throws {
    let dockerfile = try String(
      contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
          "Dockerfile"),
      encoding: .utf8)
    let finalStage = try #require(dockerfile.components(separatedBy: "\nFROM ").last)
    #expect(finalStage.contains(#"ENV VAPOR_ENV="production""#))
  }
}

/// A port nothing listens on now (bound to 0 and released).
func freeLoopbackPort() throws -> Int {
  let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
  defer { close(fd) }
  var address = sockaddr_in()
  address.sin_family = sa_family_t(AF_INET)
  address.sin_addr.s_addr = inet_addr("127.0.0.1")
  address.sin_port = 0
  var length = socklen_t(MemoryLayout<sockaddr_in>.size)
  let bound = withUnsafePointer(to: &address) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
      bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
    }
  }
  guard bound == 0 else { throw Abort(.internalServerError, reason: "no free port") }
  _ = withUnsafeMutablePointer(to: &address) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
  }
  return Int(UInt16(bigEndian: address.sin_port))
}

/// `OUTBOUND_*` and `TEAMWORK_BASE_URL` as the server reads them.
@Suite struct OutboundSettingsTests {
  static let base = [
    "JWT_SECRET": String(repeating: "s", count: 32), "DATABASE_URL": "sqlite::memory:",
    "ENCRYPTION_KEY": ConfigTests.key,
  ]

  @Test func theDefaultIsTheStrictPolicy() throws {
    let config = try AppConfig.load(environment: Self.base, isProduction: true)
    #expect(config.outbound.allowedHostNames.isEmpty && config.outbound.allowedNetworks.isEmpty)
    #expect(!config.outbound.allowPrivate && !config.outbound.allowHTTP)
    #expect(!config.outbound.onlyAllowed && config.teamworkBaseURL == nil)
  }

  @Test func everyVariableIsRead() throws {
    var environment = Self.base
    environment["OUTBOUND_ALLOWED_HOSTS"] = "Jira.Corp, 10.20.0.0/16 ,::1"
    environment["OUTBOUND_ALLOW_PRIVATE"] = "true"
    environment["OUTBOUND_ALLOW_HTTP"] = "1"
    environment["OUTBOUND_ONLY_ALLOWED"] = "yes"
    environment["TEAMWORK_BASE_URL"] = "https://acme.teamwork.com"
    let config = try AppConfig.load(environment: environment, isProduction: true)
    #expect(config.outbound.allowedHostNames == ["jira.corp"])
    #expect(config.outbound.allowedNetworks.count == 2)
    #expect(
      config.outbound.allowPrivate && config.outbound.allowHTTP && config.outbound.onlyAllowed)
    #expect(config.teamworkBaseURL == "https://acme.teamwork.com")
    environment["OUTBOUND_ALLOW_PRIVATE"] = "no"
    #expect(try !AppConfig.load(environment: environment, isProduction: true).outbound.allowPrivate)
  }

  @Test func mistakesNameTheirVariable() {
    var environment = Self.base
    environment["OUTBOUND_ALLOWED_HOSTS"] = "https://jira.corp/, 10.0.0.0/40"
    environment["OUTBOUND_ALLOW_HTTP"] = "maybe"
    environment["TEAMWORK_BASE_URL"] = "acme.teamwork.com"
    do {
      _ = try AppConfig.load(environment: environment, isProduction: true)
      Issue.record("the configuration must be refused")
    } catch let error as ConfigError {
      let text = error.problems.joined(separator: "\n")
      #expect(text.contains("OUTBOUND_ALLOWED_HOSTS: \"https://jira.corp/\""))
      #expect(text.contains("OUTBOUND_ALLOWED_HOSTS: \"10.0.0.0/40\""))
      #expect(text.contains("OUTBOUND_ALLOW_HTTP: must be true or false"))
      #expect(text.contains("TEAMWORK_BASE_URL"))
    } catch {
      Issue.record("unexpected \(error)")
    }
  }
}
