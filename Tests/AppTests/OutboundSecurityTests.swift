import Fluent
import Foundation
import Testing
import Trackers
import Vapor
import VaporTesting

@testable import App

/// A company admin is not trusted with the deployment's network or secrets: tracker URLs go
/// through the outbound policy, the deployment's Teamwork key serves its own site only, and a
/// tracker's credentials never follow a change of host. Refused addresses are refused before
/// any connection, and no worker runs here.
@Suite struct OutboundSecurityTests {
  /// The production policy, with a fixed resolver so that no test name reaches DNS.
  static func strict(_ config: inout AppConfig) {
    config.outbound = OutboundPolicy(
      resolver: .fixed([
        "metadata.example": ["169.254.169.254"], "intranet.example": ["10.0.0.8"],
        "jira.example.com": ["93.184.215.14"],
      ]))
  }

  static func jira(_ baseURL: String) -> [String: Any] {
    ["type": "jira-dc", "name": "Jira", "baseUrl": baseURL, "auth": ["kind": "pat", "token": "t"]]
  }

  @Test(arguments: TestDatabase.all)
  func trackerURLsThatBreakThePolicyAreRefusedNamingTheRule(_ database: TestDatabase)
    async throws
  {
    try await withTestApp(database, configure: Self.strict) { ctx in
      let admin = try await ctx.adminToken()
      let cases: [(String, String)] = [
        ("https://127.0.0.1:8080", "loopback"), ("https://169.254.169.254", "link-local"),
        ("https://metadata.example", "link-local"), ("https://intranet.example", "private"),
        ("https://[::1]", "loopback"), ("http://jira.example.com", "https-required"),
        ("https://jira.example.com#/rest", "fragment"),
        ("https://u:p@jira.example.com", "userinfo"),
        ("https://nowhere.example", "unresolvable"),
      ]
      for (url, rule) in cases {
        let refused = try await ctx.send(.POST, "/trackers", token: admin, object: Self.jira(url))
        #expect(refused.status == .unprocessableEntity, "\(url)")
        let error = refused.problem?.errors?.first
        #expect(error?.field == "baseUrl", "\(url)")
        #expect(error?.reason.contains(rule) == true, "\(url): \(error?.reason ?? "")")
      }
      #expect(try await Tracker.query(on: ctx.app.db).count() == 0)
      let created = try await ctx.send(
        .POST, "/trackers", token: admin, object: Self.jira("https://jira.example.com"))
      #expect(created.status == .created)
      let id = try created.content.decode(TrackerResponse.self).id
      let moved = try await ctx.send(
        .PATCH, "/trackers/\(id)", token: admin,
        object: ["baseUrl": "https://169.254.169.254", "auth": ["kind": "pat", "token": "t2"]])
      #expect(moved.status == .unprocessableEntity)
      let row = try #require(try await Tracker.find(UUID(uuidString: id), on: ctx.app.db))
      #expect(row.baseURL == "https://jira.example.com")
    }
  }

  @Test(arguments: TestDatabase.all)
  func aStoredTrackerThatBreaksThePolicyStaysAndItsSyncFailsNamingTheRule(
    _ database: TestDatabase
  ) async throws {
    try await withTestApp(database, configure: Self.strict) { ctx in
      // setup: a tracker stored before the policy existed
      let tracker = Tracker(
        companyID: ctx.companyID, type: "jira-dc", name: "Old", baseURL: "https://10.1.2.3/jira")
      let service = TrackerSyncJob.service(app: ctx.app, logger: ctx.app.logger)
      tracker.authJSON = try service.seal(
        try TrackerAuth(["kind": "pat", "token": "t"], type: "jira-dc"), for: tracker)
      try await tracker.create(on: ctx.app.db)
      // act
      let warned = try await StoredTrackerPolicyCheck.warn(
        database: ctx.app.db, policy: ctx.app.appConfig.outbound, logger: ctx.app.logger)
      await #expect(throws: TrackerError.self) {
        _ = try await TrackerSync(database: ctx.app.db, logger: ctx.app.logger)
          .run(tracker: tracker, client: try service.client(for: tracker))
      }
      // check
      #expect(warned == 1)
      let after = try #require(try await Tracker.find(tracker.id, on: ctx.app.db))
      #expect(after.lastError?.contains("outbound policy (address)") == true)
      #expect(after.lastError?.contains("OUTBOUND_ALLOW_PRIVATE") == true)
      let admin = try await ctx.adminToken()
      let test = try await ctx.send(.POST, "/trackers/\(tracker.id!)/test", token: admin)
      #expect(try test.content.decode(TrackerTestResponse.self).ok == false)
    }
  }

  @Test(arguments: TestDatabase.all)
  func theDeploymentsTeamworkKeyServesOnlyItsSiteInTheDefaultCompany(_ database: TestDatabase)
    async throws
  {
    let key = "deployment-teamwork-key"
    let teamwork: [String: Any] = [
      "type": "teamwork", "name": "TW", "baseUrl": "https://acme.teamwork.com",
    ]
    let keyOnly: (inout AppConfig) -> Void = { $0.teamworkAPIKey = key }
    try await withTestApp(database, configure: keyOnly) { ctx in
      // without TEAMWORK_BASE_URL the key is never used
      let admin = try await ctx.adminToken()
      let refused = try await ctx.send(.POST, "/trackers", token: admin, object: teamwork)
      #expect(refused.status == .badRequest)
      #expect(refused.problem?.errors?.first?.field == "auth")
    }
    let keyAndSite: (inout AppConfig) -> Void = {
      $0.teamworkAPIKey = key
      $0.teamworkBaseURL = "https://acme.teamwork.com"
    }
    try await withTestApp(database, configure: keyAndSite) { ctx in
      let admin = try await ctx.adminToken()
      var elsewhere = teamwork
      elsewhere["baseUrl"] = "https://jira.example.com"
      let otherSite = try await ctx.send(.POST, "/trackers", token: admin, object: elsewhere)
      #expect(otherSite.status == .badRequest)
      // another company's admin, on the right site
      _ = try await CompanyService(database: ctx.app.db, hasher: ctx.app.passwordHasher)
        .create(name: "Other", adminEmail: "other@example.com", adminPassword: "other-password-1")
      let other = try await ctx.login("other@example.com", "other-password-1").accessToken
      let otherCompany = try await ctx.send(.POST, "/trackers", token: other, object: teamwork)
      #expect(otherCompany.status == .badRequest)
      // the default company, on the configured site
      let own = try await ctx.send(.POST, "/trackers", token: admin, object: teamwork)
      #expect(own.status == .created)
      #expect(try own.content.decode(TrackerResponse.self).credentialsSet == ["apiKey"])
      #expect(try await Tracker.query(on: ctx.app.db).count() == 1)
    }
  }

  @Test(arguments: TestDatabase.all)
  func movingATrackerToAnotherHostNeedsItsCredentialsAgain(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      let created = try await ctx.send(
        .POST, "/trackers", token: admin, object: Self.jira("https://jira.example.com"))
      let id = try created.content.decode(TrackerResponse.self).id
      let trackerID = try #require(UUID(uuidString: id))
      let sealed = try await Tracker.find(trackerID, on: ctx.app.db)?.authJSON
      // a path on the same site keeps the credentials
      let samePlace = try await ctx.send(
        .PATCH, "/trackers/\(id)", token: admin,
        object: ["baseUrl": "https://jira.example.com/jira"])
      #expect(samePlace.status == .ok)
      // another host without credentials: refused, nothing changed
      let refused = try await ctx.send(
        .PATCH, "/trackers/\(id)", token: admin,
        object: ["baseUrl": "https://a.example", "name": "Moved"])
      #expect(refused.status == .unprocessableEntity)
      #expect(refused.problem?.errors?.first?.field == "auth")
      let unchanged = try #require(try await Tracker.find(trackerID, on: ctx.app.db))
      #expect(unchanged.baseURL == "https://jira.example.com/jira" && unchanged.name == "Jira")
      #expect(unchanged.authJSON == sealed)
      // another port is another origin too
      let port = try await ctx.send(
        .PATCH, "/trackers/\(id)", token: admin,
        object: ["baseUrl": "https://jira.example.com:8443"])
      #expect(port.status == .unprocessableEntity)
      // with new credentials: moved, and the audit row names both origins
      let moved = try await ctx.send(
        .PATCH, "/trackers/\(id)", token: admin,
        object: ["baseUrl": "https://a.example", "auth": ["kind": "pat", "token": "new-token"]])
      #expect(moved.status == .ok)
      let audit = try #require(
        try await AuditEvent.query(on: ctx.app.db).filter(\.$action == "tracker.updated")
          .sort(\.$createdAt, .descending).first())
      let details = try JSONDecoder().decode(
        [String: String].self, from: Data((audit.detailsJSON ?? "{}").utf8))
      #expect(details["previousOrigin"] == "https://jira.example.com:443")
      #expect(details["origin"] == "https://a.example:443")
    }
  }

  @Test(arguments: TestDatabase.all)
  func movingAnOAuthTrackerDropsItsTokens(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let admin = try await ctx.adminToken()
      let created = try await ctx.send(
        .POST, "/trackers", token: admin,
        object: [
          "type": "jira-cloud", "name": "Cloud", "baseUrl": "https://acme.atlassian.net",
          "auth": ["kind": "oauth2"],
        ])
      let id = try created.content.decode(TrackerResponse.self).id
      let service = TrackerSyncJob.service(app: ctx.app, logger: ctx.app.logger)
      let row = try #require(try await Tracker.find(UUID(uuidString: id), on: ctx.app.db))
      var auth = try #require(try service.auth(of: row))
      auth.accessToken = "access-1"
      auth.refreshToken = "refresh-1"
      auth.cloudId = "cloud-1"
      row.authJSON = try service.seal(auth, for: row)
      try await row.save(on: ctx.app.db)
      // act
      let moved = try await ctx.send(
        .PATCH, "/trackers/\(id)", token: admin,
        object: ["baseUrl": "https://acme-shop.atlassian.net"])
      // check
      #expect(moved.status == .ok)
      #expect(try moved.content.decode(TrackerResponse.self).needsReauth)
      let after = try #require(try await Tracker.find(UUID(uuidString: id), on: ctx.app.db))
      let dropped = try #require(try service.auth(of: after))
      #expect(dropped.kind == .oauth2 && dropped.accessToken == nil)
      #expect(dropped.refreshToken == nil && dropped.cloudId == nil)
    }
  }
}
