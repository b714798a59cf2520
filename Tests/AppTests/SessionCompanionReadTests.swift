import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

/// `POST /prompts/generate` on an SQLite file reads the caller's session, the issue and the
/// template in one read (`RequireRole(_:readingWithSession:)`), on the request's event loop,
/// and refuses exactly as it did when it read them one after the other.
@Suite struct SessionCompanionReadTests {
  @Test func aGenerationReadsSessionIssueAndTemplateInOneReaderJob() async throws {
    try await withSQLiteFile { app in
      let f = try await MCPFixture.make(try await TestContext(app: app))
      let readers = try #require(SQLiteWriterSetup.writer(of: app.db)?.readers)
      for extra in [[:], ["templateVersion": 1], ["templateLabel": "latest"]] as [[String: Any]] {
        let (before, onLoopsBefore) = (readers.reads, readers.readsOnLoops)
        let response = try await f.ctx.send(
          .POST, "/prompts/generate", token: f.developerToken,
          object: try await Self.body(app).merging(extra) { $1 })
        #expect(response.status == .created, "\(extra)")
        #expect(readers.reads - before == 1, "\(extra)")
        #expect(readers.readsOnLoops - onLoopsBefore == 1, "\(extra)")
        let generated = try response.content.decode(GenerationResponse.self)
        #expect(generated.promptText.hasPrefix("# PS-1: Export invoices"))
        #expect(generated.templateVersion == 1)
      }
      #expect(try await PromptVersion.query(on: app.db).count() == 3)
    }
  }

  @Test func aRevokedSessionOrADisabledUserIsStillRefused() async throws {
    try await withSQLiteFile { app in
      let f = try await MCPFixture.make(try await TestContext(app: app))
      let body = try await Self.body(app)
      let logout = try await f.ctx.send(.POST, "/auth/logout", token: f.developerToken)
      #expect(logout.status == .noContent)
      let revoked = try await f.ctx.send(
        .POST, "/prompts/generate", token: f.developerToken, object: body)
      #expect(revoked.status == .unauthorized)

      let user = try await f.ctx.createUser(
        role: .developer, adminToken: try await f.ctx.adminToken())
      let token = try await f.ctx.login(user.email, user.password).accessToken
      let disabled = try await f.ctx.send(
        .PATCH, "/users/\(user.id)", token: try await f.ctx.adminToken(),
        json: ["disabled": true])
      #expect(disabled.status == .ok)
      let refused = try await f.ctx.send(.POST, "/prompts/generate", token: token, object: body)
      #expect(refused.status == .unauthorized)
      #expect(try await PromptVersion.query(on: app.db).count() == 0)
    }
  }

  /// The ids are read from the body before the contract check; the check and the route's own
  /// parse still decide, with the same answers.
  @Test func aBodyTheRouteRefusesIsRefusedAsBefore() async throws {
    try await withSQLiteFile { app in
      let f = try await MCPFixture.make(try await TestContext(app: app))
      let body = try await Self.body(app)
      let both = try await f.ctx.send(
        .POST, "/prompts/generate", token: f.developerToken,
        object: body.merging(["templateVersion": 1, "templateLabel": "latest"]) { $1 })
      #expect(both.status == .unprocessableEntity)
      #expect(both.bodyString.contains("templateLabel"))
      let notAnID = try await f.ctx.send(
        .POST, "/prompts/generate", token: f.developerToken,
        object: body.merging(["issueId": "PS-1"]) { $1 })
      #expect(notAnID.status == .unprocessableEntity)
      #expect(notAnID.bodyString.contains("issueId"))
      let wrongType = try await f.ctx.send(
        .POST, "/prompts/generate", token: f.developerToken,
        object: body.merging(["templateVersion": "1"]) { $1 })
      #expect(wrongType.status == .badRequest || wrongType.status == .unprocessableEntity)
      #expect(wrongType.bodyString.contains("templateVersion"))
      #expect(try await PromptVersion.query(on: app.db).count() == 0)
    }
  }

  /// The rows are read for the company the token names; they serve the route only when the
  /// session's user belongs to it (the user's row decides, as for every other read).
  @Test func rowsReadForAnotherCompanyThanTheUsersAreNotUsed() async throws {
    try await withSQLiteFile { app in
      let f = try await MCPFixture.make(try await TestContext(app: app))
      let claims = try await app.jwtAccessTokens.verify(f.developerToken)
      let familyID = try #require(UUID(uuidString: claims.sessionID))
      let otherCompany = try await app.jwtAccessTokens.issue(
        userID: f.developerID, companyID: UUID.random(), role: .developer, familyID: familyID)
      let readers = try #require(SQLiteWriterSetup.writer(of: app.db)?.readers)
      let before = readers.reads
      let response = try await f.ctx.send(
        .POST, "/prompts/generate", token: otherCompany, object: try await Self.body(app))
      // Found in the user's company, read again there: the rows read for the other were empty.
      #expect(response.status == .created)
      #expect(readers.reads - before == 2)
    }
  }

  @Test func prefetchedRowsServeOnlyTheSameStatementsWithTheSameValues() throws {
    let (issue, company, template) = (UUID.random(), UUID.random(), UUID.random())
    let statements = GenerationService.sourceStatements(
      issueID: issue, templateID: template, companyID: company, version: nil, label: nil)
    let rows: [[any SQLRow]] = [[], []]
    let prefetched = PrefetchedRows(statements, rows: rows)
    #expect(prefetched.rows(of: statements)?.count == 2)
    #expect(
      prefetched.rows(
        of: GenerationService.sourceStatements(
          issueID: issue, templateID: template, companyID: company, version: nil, label: nil))
        != nil)
    for other in [
      GenerationService.sourceStatements(
        issueID: issue, templateID: template, companyID: company, version: 1, label: nil),
      GenerationService.sourceStatements(
        issueID: issue, templateID: template, companyID: UUID.random(), version: nil, label: nil),
      GenerationService.sourceStatements(
        issueID: issue, templateID: template, companyID: company, version: nil, label: "staging"),
      Array(statements.reversed()), Array(statements.prefix(1)),
    ] {
      #expect(prefetched.rows(of: other) == nil)
    }
  }

  /// PS-1 and the fixture's template, as a generation's body.
  private static func body(_ app: Application) async throws -> [String: Any] {
    let issue = try #require(
      try await Issue.query(on: app.db).filter(\.$externalKey == "PS-1").first())
    let template = try #require(try await PromptTemplate.query(on: app.db).first())
    return [
      "issueId": try issue.requireID().uuidString.lowercased(),
      "templateId": try template.requireID().uuidString.lowercased(),
      "vars": ["tests": true],
    ]
  }
}
