import Fluent
import Foundation
import Testing
import Vapor

@testable import App

/// For every route that takes an id, an admin of another company gets 404 for this company's
/// row, and the row is left as it was. A route whose parameter has no fixture fails the test.
@Suite struct TenantIsolationTests {
  /// Routes outside the sweep, and why.
  static let exempt: [String: String] = [
    // Authenticated by the tracker's webhook secret, not by a user.
    "POST /webhooks/jira/:trackerID": "signed",
    "POST /webhooks/github/:trackerID": "signed",
    "POST /webhooks/gitlab/:trackerID": "signed",
    "POST /webhooks/linear/:trackerID": "signed",
  ]

  /// Bodies the contract check lets through, so that the answer is about the row.
  static let bodies: [String: String] = [
    "POST /prompt-templates/:templateID/check": #"{"candidate":1}"#,
    "PUT /prompt-templates/:templateID/labels/:label": #"{"version":1}"#,
    "PUT /outputs/:outputID/review": #"{"verdict":"accepted"}"#,
  ]

  /// Queries with the parameters a route requires, so that the answer is about the row.
  static let queries: [String: String] = [
    "GET /stats/templates/:templateID/compare": "?a=1&b=1"
  ]

  @Test(arguments: TestDatabase.all)
  func anotherCompanyGets404ForEveryRowOfThisOne(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      // setup: one row of each kind in company A (template, issue, prompt, output, tracker,
      // token, user)
      let core = CoreLoopTests()
      let f = try await CoreLoopTests.fixture(ctx)
      let template = try await core.createTemplate(f)
      let generated = try await core.generate(f, templateID: template.id)
      let prompt = try generated.content.decode(GenerationResponse.self)
      let output = OutputFixture(
        ctx: ctx, developer: f.developer, promptVersionID: prompt.promptVersionId,
        encoding: prompt.encoding)
      let storage = try await TestStorage.make(.file, app: ctx.app)
      defer { storage.remove() }
      output.use(storage, clamd: nil)
      let uploaded = try await output.upload { $0.text(Array("Done.".utf8)) }
      let outputID = try uploaded.content.decode(OutputResponse.self).id
      let tracker = try await ctx.send(
        .POST, "/trackers", token: f.admin,
        object: [
          "type": "jira-dc", "name": "Jira", "baseUrl": "https://jira.example.com",
          "auth": ["kind": "pat", "token": "tenant-a-token"],
        ])
      let trackerID = try tracker.content.decode(TrackerResponse.self).id
      let sync = try await ctx.send(.POST, "/trackers/\(trackerID)/sync", token: f.admin)
      let jobID = try sync.content.decode(JobAccepted.self).jobId
      let token = try await ctx.send(
        .POST, "/me/tokens", token: f.admin,
        object: ["name": "a", "currentPassword": ctx.adminPassword])
      let tokenID = try token.content.decode(PersonalAccessTokenResponse.self).id
      let user = try await ctx.createUser(role: .developer, adminToken: f.admin)
      _ = try await TemplateLabelTests.move(f, template.id, "production", to: 1, token: f.lead)
      let subscription = try await ctx.send(
        .POST, "/webhook-subscriptions", token: f.admin,
        object: ["url": "http://127.0.0.1:9/hook", "events": ["template.label.moved"]])
      let subscriptionID = try #require(subscription.json?["id"] as? String)
      let ids: [String: String] = [
        "userID": user.id, "templateID": template.id, "version": "1",
        "promptID": prompt.promptId, "versionID": prompt.promptVersionId,
        "trackerID": trackerID, "issueID": f.issueID.uuidString.lowercased(),
        "outputID": outputID, "tokenID": tokenID, "jobID": jobID, "label": "production",
        "subscriptionID": subscriptionID,
      ]
      // company B's admin
      let (_, other) = try await CompanyService(
        database: ctx.app.db, hasher: ctx.app.passwordHasher
      ).create(name: "Globex", adminEmail: "boss@globex.com", adminPassword: "globex-password-1")
      let stranger = try await ctx.login(other.email, "globex-password-1").accessToken
      let auditRows = try await AuditEvent.query(on: ctx.app.db).count()

      // act, check
      var swept = 0
      for route in ctx.app.routes.all {
        let key = AccessMatrixTests.key(route)
        let parameters = route.path.compactMap { component -> String? in
          if case .parameter(let name) = component { return name }
          return nil
        }
        guard !parameters.isEmpty, Self.exempt[key] == nil else { continue }
        var path = ""
        for component in route.path {
          guard case .parameter(let name) = component else {
            path += "/\(component.description)"
            continue
          }
          let id = try #require(ids[name], "\(key): no fixture for :\(name)")
          path += "/\(id)"
        }
        let body: String? =
          Self.bodies[key] ?? ([.POST, .PATCH].contains(route.method) ? "{}" : nil)
        path += Self.queries[key] ?? ""
        let response = try await ctx.send(route.method, path, token: stranger, rawBody: body)
        #expect(response.status == .notFound, "\(key): \(response.status)")
        swept += 1
      }
      #expect(swept >= 22)
      // nothing of company A changed, and no change was audited
      #expect(try await ctx.send(.GET, "/trackers/\(trackerID)", token: f.admin).status == .ok)
      #expect(
        try await ctx.send(.GET, "/prompt-templates/\(template.id)", token: f.admin).status == .ok)
      let job = try await ctx.send(.GET, "/jobs/\(jobID)", token: f.admin)
      #expect(try job.content.decode(JobResponse.self).state == "available")
      let tokens = try await ctx.send(.GET, "/tokens", token: f.admin)
      #expect(try tokens.content.decode([PersonalAccessTokenResponse].self).map(\.id) == [tokenID])
      #expect(try await AuditEvent.query(on: ctx.app.db).count() == auditRows)
    }
  }
}
