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

  /// In a group's statement the three statements read the columns of the `unnest`ed values,
  /// `$n` becoming `k.pn`: no placeholder is left in them, and each value has its column.
  @Test func aGroupsStatementsReadTheUnnestedColumns() throws {
    let sql = SessionAndGenerationSourcesGroup.sql
    let unnest = try #require(sql.firstMatch(of: /unnest\(([^)]*)\)/))
    #expect(unnest.1 == "$1, $2, $3, $4, $5, $6, $7, $8")
    #expect(sql.matches(of: /\$[0-9]+/).count == 8)
    #expect(sql.contains("k(p1, p2, p3, p4, p5, p6, p7, p8, position)"))
    for n in 1...8 { #expect(sql.contains("k.p\(n)"), "k.p\(n)") }
    #expect(!sql.contains("k.p9"))
    #expect(SessionAndGenerationSources.sql.matches(of: /\$[0-9]+/).count == 8)
    #expect(!SessionAndGenerationSources.sql.contains("$9"))
  }

  @Test func aColumnOfValuesIsBoundAsOneArrayOfItsKind() {
    let id = UUID()
    #expect(BoundValue(column: [.uuid(id), .uuid(nil)]) == .uuids([id, nil]))
    #expect(BoundValue(column: [.text("a"), .text(nil)]) == .texts(["a", nil]))
    #expect(BoundValue(column: [.int(nil), .int(3)]) == .ints([nil, 3]))
    #expect(BoundValue(column: [.bool(true)]) == .bools([true]))
    let at = Date(timeIntervalSince1970: 5)
    #expect(BoundValue(column: [.date(at), .date(nil)]) == .dates([at, nil]))
  }

  @Test(arguments: TestDatabase.all)
  func anUnknownSessionReadsNoSessionRow(_ database: TestDatabase) async throws {
    guard database == .postgres else { return }
    try await withTestApp(database) { ctx in
      let together = try await Self.unknownSessionRead(ctx)
      let rows = try together.split(try await ctx.app.db.firstRow(together))
      #expect(rows.map(\.count) == [0, 1, 0])
      // A group's statement unnests exactly this many values per read.
      #expect(together.values.count == SessionAndGenerationSources.valueCount)
      #expect(SessionAndGenerationSources(session: together.session, companions: []) == nil)
    }
  }

  /// A group whose statement fails as a whole sends each read to be read alone, which then
  /// fails or succeeds on its own; a group of one fails with its own statement's error.
  @Test(arguments: TestDatabase.all)
  func aGroupThatFailsSendsEachReadAlone(_ database: TestDatabase) async throws {
    guard database == .postgres else { return }
    try await withTestApp(database) { ctx in
      // setup: reads on a transaction that an error has aborted, where every statement fails
      let read = try await Self.unknownSessionRead(ctx)
      try await ctx.app.db.transaction { db in
        await #expect(throws: (any Error).self) { try await db.sql.raw("SELECT 1 / 0").run() }
        // act
        let grouped = await GenerationSourcesGroup.read([read, read, read], on: db)
        let alone = await GenerationSourcesGroup.read([read], on: db)
        let group = GenerationSourcesGroup(largest: 4)
        // check
        #expect(grouped.count == 3)
        for outcome in grouped {
          guard case .alone = outcome else {
            Issue.record("read by a failed group: \(outcome)")
            continue
          }
        }
        guard case .failed = alone.first else {
          Issue.record("a group of one did not fail: \(alone)")
          return
        }
        await #expect(throws: (any Error).self) { _ = try await group.rows(of: read, on: db) }
        await #expect(throws: (any Error).self) {
          try await withThrowingTaskGroup(of: Void.self) { tasks in
            for _ in 0..<3 { tasks.addTask { _ = try await group.rows(of: read, on: db) } }
            try await tasks.waitForAll()
          }
        }
      }
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
      var reads:
        [(read: SessionAndGenerationSources, rows: [[any SQLRow]], asked: (Int?, String?))] = []
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
        reads.append((withSession, all, (version, label)))
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
      // A group: every case, and an unknown session, in one statement, each given the rows it
      // reads alone; then the same reads asked for concurrently through the process's group.
      let unknown = try #require(
        SessionAndGenerationSources(
          session: SessionLookup.Statement(userID: UUID(), familyID: session.familyID),
          companions: [reads[0].read.sources.issue, reads[0].read.sources.template]))
      reads.append(
        (unknown, try unknown.split(try await ctx.app.db.firstRow(unknown)), reads[0].asked))
      let grouped = await GenerationSourcesGroup.read(reads.map(\.read), on: ctx.app.db)
      #expect(grouped.count == reads.count)
      for ((read, alone, asked), outcome) in zip(reads, grouped) {
        guard case .rows(let rows) = outcome else {
          Issue.record("not read by the group: \(outcome)")
          continue
        }
        try Self.expectSameRows(rows, alone, of: read, asked: asked)
      }
      let asked = try await withThrowingTaskGroup(of: (Int, [[any SQLRow]]).self) { tasks in
        for (index, read) in (reads + reads + reads).enumerated() {
          tasks.addTask {
            (index, try await ctx.app.generationSourcesGroup.rows(of: read.read, on: ctx.app.db))
          }
        }
        return try await tasks.reduce(into: [:]) { $0[$1.0] = $1.1 }
      }
      for (index, read) in (reads + reads + reads).enumerated() {
        try Self.expectSameRows(
          try #require(asked[index]), read.rows, of: read.read, asked: read.asked)
      }
    }
  }

  /// The same rows found, and the same session, issue and template read from them.
  static func expectSameRows(
    _ rows: [[any SQLRow]], _ alone: [[any SQLRow]], of read: SessionAndGenerationSources,
    asked: (version: Int?, label: String?)
  ) throws {
    #expect(rows.map(\.count) == alone.map(\.count))
    let principal = try SessionLookup.principal(read.session, row: rows[0].first)
    let expected = try SessionLookup.principal(read.session, row: alone[0].first)
    #expect(principal?.userID == expected?.userID && principal?.role == expected?.role)
    if let row = rows[1].first, let reference = alone[1].first {
      let issueID = read.sources.issue.id
      #expect(
        try GenerationIssue(id: issueID, row: row).variables
          == GenerationIssue(id: issueID, row: reference).variables)
    }
    if let row = rows[2].first, let reference = alone[2].first {
      let template = read.sources.template
      let ours = try GenerationTemplate(
        id: template.id, version: asked.version, label: asked.label, row: row)
      let theirs = try GenerationTemplate(
        id: template.id, version: asked.version, label: asked.label, row: reference)
      #expect(ours.versionNumber == theirs.versionNumber && ours.version?.id == theirs.version?.id)
      #expect(ours.version?.bodyMarkdown == theirs.version?.bodyMarkdown)
    }
  }

  /// A generation's reads for the fixture's issue, an unknown template and an unknown session.
  static func unknownSessionRead(_ ctx: TestContext) async throws -> SessionAndGenerationSources {
    let f = try await CoreLoopTests.fixture(ctx)
    let statements = GenerationService.sourceStatements(
      issueID: f.issueID, templateID: UUID(), companyID: ctx.companyID, version: nil, label: nil)
    return try #require(
      SessionAndGenerationSources(
        session: SessionLookup.Statement(userID: UUID(), familyID: UUID()),
        companions: statements))
  }
}
