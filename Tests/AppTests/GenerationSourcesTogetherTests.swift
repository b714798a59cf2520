import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import App

/// On PostgreSQL a generation reads its issue and template in one statement
/// (`GenerationSourcesTogether`), and with the caller's session in one
/// (`SessionAndGenerationSources`); they must read exactly what the statements read apart.
@Suite struct GenerationSourcesTogetherTests {
  @Test func theTemplatesPlaceholdersFollowTheIssues() {
    let sql = GenerationSourcesTogether.renumbered(
      "WHERE a = $1 AND b = COALESCE(CAST($3 AS BIGINT), $2) AND c = $4 AND d = $10",
      after: 2)
    #expect(sql == "WHERE a = $3 AND b = COALESCE(CAST($5 AS BIGINT), $4) AND c = $6 AND d = $12")
    #expect(GenerationSourcesTogether.sql.contains("$6"))
    #expect(!GenerationSourcesTogether.sql.contains("$7"))
  }

  @Test(arguments: TestDatabase.all)
  func anUnknownSessionReadsNoSessionRow(_ database: TestDatabase) async throws {
    guard database == .postgres else { return }
    try await withTestApp(database) { ctx in
      let f = try await CoreLoopTests.fixture(ctx)
      let statements = GenerationService.sourceStatements(
        issueID: f.issueID, templateID: UUID(), companyID: ctx.companyID, version: nil,
        label: nil)
      let together = try #require(
        SessionAndGenerationSources(
          session: SessionLookup.Statement(userID: UUID(), familyID: UUID()),
          companions: statements))
      let rows = try together.split(try await ctx.app.db.firstRow(together))
      #expect(rows.map(\.count) == [0, 1, 0])
      #expect(SessionAndGenerationSources(session: together.session, companions: []) == nil)
    }
  }

  @Test(arguments: TestDatabase.all)
  func readsWhatTheTwoStatementsReadApart(_ database: TestDatabase) async throws {
    guard database == .postgres else { return }
    try await withTestApp(database) { ctx in
      // setup: an issue, a template at version 2, and ids of neither
      let f = try await CoreLoopTests.fixture(ctx)
      let created = try await ctx.send(
        .POST, "/prompt-templates", token: f.lead,
        object: (["name": "implement", "bodyMd": "# {{title}}"]))
      let templateID = try #require(
        UUID(uuidString: try created.content.decode(TemplateResponse.self).id))
      _ = try await ctx.send(
        .PATCH, "/prompt-templates/\(templateID)", token: f.lead,
        object: (["bodyMd": "## {{title}}"]))
      let companyID = ctx.companyID
      // A session of the developer's, and the principal it gives read on its own.
      let family = try #require(
        try await ctx.app.db.sql.raw(
          "SELECT id, user_id FROM refresh_token_families WHERE revoked_at IS NULL LIMIT 1"
        ).first())
      let session = SessionLookup.Statement(
        userID: try family.decode(column: "user_id", as: UUID.self),
        familyID: try family.decode(column: "id", as: UUID.self))
      let sessionRow = try await ctx.app.db.firstRow(session)
      let expected = try SessionLookup.principal(session, row: sessionRow)
      #expect(expected != nil)
      let cases: [(UUID, UUID, Int?, String?)] = [
        (f.issueID, templateID, nil, nil), (f.issueID, templateID, 1, nil),
        (f.issueID, templateID, nil, "latest"), (f.issueID, templateID, 9, nil),
        (f.issueID, UUID(), nil, nil), (UUID(), templateID, nil, nil), (UUID(), UUID(), 1, nil),
      ]
      for (issueID, id, version, label) in cases {
        let statements = GenerationService.sourceStatements(
          issueID: issueID, templateID: id, companyID: companyID, version: version,
          label: label)
        let issue = try #require(statements[0] as? GenerationIssue.Statement)
        let template = try #require(statements[1] as? GenerationTemplate.Statement)
        // act
        let together = GenerationSourcesTogether(issue: issue, template: template)
        let rows = try together.split(try await ctx.app.db.firstRow(together))
        let apart = try await ctx.app.db.rows(issue, template)
        let withSession = try #require(
          SessionAndGenerationSources(session: session, companions: statements))
        let all = try withSession.split(try await ctx.app.db.firstRow(withSession))
        // check
        let context =
          "issue \(issueID == f.issueID), template \(id == templateID), \(version as Any), \(label as Any)"
        #expect(rows[0].count == apart.0.count, "\(context)")
        #expect(rows[1].count == apart.1.count, "\(context)")
        #expect(all.count == 3 && all[1].count == rows[0].count && all[2].count == rows[1].count)
        let principal = try SessionLookup.principal(session, row: all[0].first)
        #expect(principal?.userID == expected?.userID && principal?.name == expected?.name)
        #expect(principal?.companyID == companyID && principal?.role == expected?.role)
        if let row = rows[0].first, let expected = apart.0.first {
          let read = try GenerationIssue(id: issueID, row: row)
          let reference = try GenerationIssue(id: issueID, row: expected)
          #expect(read.variables == reference.variables, "\(context)")
        }
        if let row = rows[1].first, let expected = apart.1.first {
          let read = try GenerationTemplate(id: id, version: version, label: label, row: row)
          let reference = try GenerationTemplate(
            id: id, version: version, label: label, row: expected)
          #expect(read.versionNumber == reference.versionNumber, "\(context)")
          #expect(read.version?.id == reference.version?.id, "\(context)")
          #expect(read.version?.bodyMarkdown == reference.version?.bodyMarkdown, "\(context)")
          #expect(read.name == reference.name && read.label == reference.label, "\(context)")
        }
      }
    }
  }
}
