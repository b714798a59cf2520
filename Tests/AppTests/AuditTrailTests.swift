import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

/// Every data change leaves an `audit_events` row; `GET /audit-events` shows a company its own.
@Suite struct AuditTrailTests {
  static let trackerSecret = "audit-test-pat-9f2c1e"

  func events(_ ctx: TestContext, _ query: String, token: String) async throws
    -> [AuditEventResponse]
  {
    let response = try await ctx.send(.GET, "/audit-events" + query, token: token)
    #expect(response.status == .ok, "\(query): \(response.bodyString)")
    return try response.content.decode([AuditEventResponse].self)
  }

  @Test(arguments: TestDatabase.all)
  func everyChangeIsAuditedWithFieldNamesOnly(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      // setup: changes to users, templates, trackers and tokens
      let admin = try await ctx.adminToken()
      let adminID = try #require(
        try await User.query(on: ctx.app.db).filter(\.$email == ctx.adminEmail).first()?.id)
      let lead = try await ctx.createUser(role: .lead, adminToken: admin)
      _ = try await ctx.send(
        .PATCH, "/users/\(lead.id)", token: admin, object: ["role": "developer", "name": "L"])
      let template = try await ctx.send(
        .POST, "/prompt-templates", token: admin, object: ["name": "t1", "bodyMd": "Hi"])
      let templateID = try template.content.decode(TemplateResponse.self).id
      _ = try await ctx.send(
        .PATCH, "/prompt-templates/\(templateID)", token: admin, object: ["bodyMd": "Hello"])
      #expect(
        try await ctx.send(.DELETE, "/prompt-templates/\(templateID)", token: admin).status
          == .noContent)
      let tracker = try await ctx.send(
        .POST, "/trackers", token: admin,
        object: [
          "type": "jira-dc", "name": "Jira", "baseUrl": "https://jira.example.com",
          "auth": ["kind": "pat", "token": Self.trackerSecret],
        ])
      let trackerID = try tracker.content.decode(TrackerResponse.self).id
      _ = try await ctx.send(
        .PATCH, "/trackers/\(trackerID)", token: admin,
        object: ["auth": ["kind": "pat", "token": Self.trackerSecret + "-2"], "jql": "x"])
      let sync = try await ctx.send(.POST, "/trackers/\(trackerID)/sync", token: admin)
      #expect(sync.status == .accepted)
      // a queued test job, as JobTests cancels one
      let queued = try await ctx.app.jobs.queue.enqueue(.test, payload: ["note": "audit"])
      let jobID = queued.job.id.uuidString.lowercased()
      #expect(try await ctx.send(.POST, "/jobs/\(jobID)/cancel", token: admin).status == .ok)
      #expect(
        try await ctx.send(.DELETE, "/trackers/\(trackerID)", token: admin).status == .noContent)
      let token = try await ctx.send(
        .POST, "/me/tokens", token: admin,
        object: ["name": "ci", "currentPassword": ctx.adminPassword])
      let tokenID = try token.content.decode(PersonalAccessTokenResponse.self).id
      _ = try await ctx.send(.DELETE, "/me/tokens/\(tokenID)", token: admin)

      // act
      let all = try await events(ctx, "?limit=200", token: admin)
      let trackerEvents = try await events(
        ctx, "?entity=tracker&entityId=\(trackerID)", token: admin)

      // check: one row per change, in order, with the author, the entity and field names
      let changes = all.filter { $0.entity != nil }.map { "\($0.action) \($0.entity!)" }
      #expect(
        changes == [
          "user.created user", "user.updated user", "template.created template",
          "template.updated template", "template.deleted template", "tracker.created tracker",
          "tracker.updated tracker", "job.created job", "job.cancelled job",
          "tracker.deleted tracker", "token.created token", "token.revoked token",
        ])
      #expect(
        all.filter { $0.entity != nil }.allSatisfy { $0.actorId == adminID.uuidString.lowercased() }
      )
      #expect(
        trackerEvents.map(\.action) == ["tracker.created", "tracker.updated", "tracker.deleted"])
      #expect(trackerEvents[0].changedFields == ["auth", "baseUrl", "name", "type"])
      #expect(trackerEvents[1].changedFields == ["auth", "jql"])
      let userUpdate = try #require(all.first { $0.action == "user.updated" })
      #expect(userUpdate.entityId == lead.id && userUpdate.changedFields == ["name", "role"])
      #expect(all.first { $0.action == "template.updated" }?.changedFields == ["bodyMd"])
      #expect(all.allSatisfy { $0.requestId != nil })
      // no secret value anywhere in the trail, in the API or in the table
      let raw = try await AuditEvent.query(on: ctx.app.db).all()
        .map { "\($0.detailsJSON ?? "") \($0.changedFieldsJSON ?? "")" }.joined()
      for text in [
        raw, try await ctx.send(.GET, "/audit-events?limit=200", token: admin).bodyString,
      ] {
        #expect(!text.contains(Self.trackerSecret))
        #expect(!text.contains(lead.password))
      }
    }
  }

  @Test(arguments: TestDatabase.all)
  func promptsAndOutputsAreAudited(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      // setup: a template and a generation (OutputFixture), then another generation and an upload
      let f = try await OutputFixture.make(ctx)
      let storage = try await TestStorage.make(.file, app: ctx.app)
      defer { storage.remove() }
      f.use(storage, clamd: nil)
      let upload = try await f.upload { $0.text(Array("Done.".utf8)) }
      #expect(upload.status == .created)
      let outputID = try upload.content.decode(OutputResponse.self).id
      let admin = try await ctx.adminToken()
      // act
      let prompts = try await events(ctx, "?entity=prompt", token: admin)
      let outputs = try await events(ctx, "?action=output.created", token: admin)
      // check
      #expect(prompts.map(\.action) == ["prompt.created"])
      #expect(prompts.first?.details?["version"] == "1")
      #expect(outputs.map(\.entityId) == [outputID])
      // tokensOut is counted by the server when the upload does not give it
      #expect(outputs.first?.changedFields == ["content", "promptVersionId", "tokensOut"])
    }
  }

  /// On PostgreSQL a generation writes its audit row inside one statement of its own
  /// (`GenerationService.StoreInOneStatement`), on SQLite through `AuditLog.record`: the rows
  /// must be the same, column for column.
  @Test(arguments: TestDatabase.all)
  func generationsAreAuditedAlikeOnBothDatabases(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      // setup
      let f = try await CoreLoopTests.fixture(ctx)
      let template = try await CoreLoopTests().createTemplate(f)
      // act: the first generation creates the prompt, the second adds a version
      var promptIDs: [String] = []
      for _ in 0..<2 {
        let made = try await CoreLoopTests().generate(f, templateID: template.id)
        #expect(made.status == .created)
        promptIDs.append(try made.content.decode(GenerationResponse.self).promptId)
      }
      // check
      let rows = try await ctx.app.db.sql.raw(
        """
        SELECT action, details_json, changed_fields, entity_id, user_id, company_id, request_id
        FROM audit_events WHERE entity_type = 'prompt' ORDER BY created_at, id
        """
      ).all()
      #expect(
        try rows.map { try $0.decode(column: "action", as: String.self) } == [
          "prompt.created", "prompt.updated",
        ])
      #expect(
        try rows.map { try $0.decode(column: "details_json", as: String.self) } == [
          #"{"version":"1"}"#, #"{"version":"2"}"#,
        ])
      #expect(
        try rows.map { try $0.decode(column: "changed_fields", as: String.self) } == [
          #"["issueId","templateId","version"]"#, #"["version"]"#,
        ])
      for row in rows {
        #expect(
          try row.decode(column: "entity_id", as: UUID.self).uuidString.lowercased()
            == promptIDs[0].lowercased())
        #expect(try row.decode(column: "company_id", as: UUID.self) == ctx.companyID)
        #expect(try !row.decodeNil(column: "user_id"))
        #expect(try !row.decodeNil(column: "request_id"))
      }
    }
  }

  @Test(arguments: TestDatabase.all)
  func theTrailIsFilteredPaginatedAndPerCompany(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      // setup
      let admin = try await ctx.adminToken()
      var created: [String] = []
      for _ in 0..<3 {
        created.append(try await ctx.createUser(role: .developer, adminToken: admin).id)
      }
      let developer = try await ctx.createUser(role: .developer, adminToken: admin)
      let developerToken = try await ctx.login(developer.email, developer.password).accessToken
      _ = try await ctx.send(
        .PATCH, "/me", token: developerToken, object: ["name": "Renamed"])
      let (_, other) = try await CompanyService(
        database: ctx.app.db, hasher: ctx.app.passwordHasher
      ).create(name: "Globex", adminEmail: "boss@globex.com", adminPassword: "globex-password-1")
      let otherToken = try await ctx.login(other.email, "globex-password-1").accessToken

      // act, check: pagination
      let first = try await ctx.send(
        .GET, "/audit-events?action=user.created&limit=2", token: admin)
      let firstPage = try first.content.decode([AuditEventResponse].self)
      let link = try #require(first.headers.first(name: .link))
      let next = String(link.dropFirst().prefix { $0 != ">" })
      let secondPage = try await events(
        ctx, String(next.dropFirst("/audit-events".count)), token: admin)
      #expect((firstPage + secondPage).compactMap(\.entityId) == created + [developer.id])
      // the actor filter finds the developer's own change
      let mine = try await events(ctx, "?actorId=\(developer.id)&entity=user", token: admin)
      #expect(mine.map(\.action) == ["user.updated"] && mine[0].changedFields == ["name"])
      // time window
      let future = "2999-01-01T00:00:00Z"
      #expect(try await events(ctx, "?from=\(future)", token: admin).isEmpty)
      #expect(try await events(ctx, "?to=\(future)&entity=user", token: admin).count == 5)
      // another company sees none of it, even by id; lower roles are refused
      #expect(try await events(ctx, "?entityId=\(created[0])", token: otherToken).isEmpty)
      let theirs = try await events(ctx, "?limit=200", token: otherToken)
      #expect(theirs.allSatisfy { $0.actorId != nil && !created.contains($0.entityId ?? "") })
      #expect(
        try await ctx.send(.GET, "/audit-events", token: developerToken).status == .forbidden)
      #expect(try await ctx.send(.GET, "/audit-events").status == .unauthorized)
      // every bad filter is reported at once
      let bad = try await ctx.send(
        .GET, "/audit-events?entity=planet&entityId=7&actorId=x&from=yesterday", token: admin)
      #expect(bad.status == .unprocessableEntity)
      #expect(
        Set(bad.problem?.errors?.map(\.field) ?? []) == ["entity", "entityId", "actorId", "from"])
      let reversed = try await ctx.send(
        .GET, "/audit-events?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", token: admin)
      #expect(reversed.problem?.errors?.map(\.field) == ["to"])
    }
  }
}
