import Fluent
import Foundation
import SQLKit
import Testing
import Tokenizer
import Vapor
import VaporTesting

@testable import App

/// Templates, generation and statistics, end to end through HTTP.
@Suite struct CoreLoopTests {
  struct Fixture {
    let ctx: TestContext
    let admin: String
    let lead: String
    let developer: String
    let issueID: UUID
  }

  static func fixture(_ ctx: TestContext) async throws -> Fixture {
    let admin = try await ctx.adminToken()
    let lead = try await ctx.createUser(role: .lead, adminToken: admin)
    let dev = try await ctx.createUser(role: .developer, adminToken: admin)
    let issueID = try await insertIssue(ctx.app.db, companyID: ctx.companyID)
    return Fixture(
      ctx: ctx, admin: admin, lead: try await ctx.login(lead.email, lead.password).accessToken,
      developer: try await ctx.login(dev.email, dev.password).accessToken, issueID: issueID)
  }

  static func insertIssue(_ db: any Database, companyID: UUID, key: String = "PS-42") async throws
    -> UUID
  {
    let tracker = Tracker(
      companyID: companyID, type: "jira-cloud", name: "Acme Jira", baseURL: "https://acme.example")
    try await tracker.create(on: db)
    let issue = Issue(
      companyID: companyID, trackerID: try tracker.requireID(), externalKey: key,
      title: "Export invoices as CSV",
      descriptionMarkdown: "Finance needs a **CSV** export.\n\n- one row per invoice",
      criteriaMarkdown: "- [ ] header row\n- [ ] UTF-8", status: "In Progress",
      statusCategory: "in_progress", labels: ["finance", "export"])
    issue.assigneeName = "Dana Dev"
    issue.assigneeEmail = "dana@example.com"
    try await issue.create(on: db)
    return try issue.requireID()
  }

  static var schema: [String: Any] {
    [
      "type": "object",
      "properties": [
        "language": ["type": "string", "enum": ["swift", "go"], "default": "swift"],
        "tests": ["type": "boolean"],
      ],
      "required": ["tests"],
    ]
  }

  static let body = """
    # {{key}}: {{title}}

    {{description}}

    {{#if tests}}
    Write tests in {{language}}.
    {{/if}}
    Labels: {{join labels ", "}}
    """

  func createTemplate(_ f: Fixture, name: String = "implement", body: String = CoreLoopTests.body)
    async throws -> TemplateResponse
  {
    let response = try await f.ctx.send(
      .POST, "/prompt-templates", token: f.lead,
      object: (["name": name, "bodyMd": body, "lintJson": Self.schema]))
    #expect(response.status == .created)
    return try response.content.decode(TemplateResponse.self)
  }

  func generate(_ f: Fixture, templateID: String, extra: [String: Any] = [:]) async throws
    -> TestingHTTPResponse
  {
    var body: [String: Any] = [
      "issueId": f.issueID.uuidString, "templateId": templateID, "vars": ["tests": true],
    ]
    body.merge(extra) { _, new in new }
    return try await f.ctx.send(.POST, "/prompts/generate", token: f.developer, object: (body))
  }

  @Test(arguments: TestDatabase.all)
  func aLeadWritesATemplateAndADeveloperGeneratesFromIt(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let f = try await Self.fixture(ctx)
      // a lint error is refused with its position, and nothing is saved
      let broken = try await ctx.send(
        .POST, "/prompt-templates", token: f.lead,
        object: ([
          "name": "implement", "bodyMd": "Hi\n{{#if tests}}\nno end", "lintJson": Self.schema,
        ]))
      #expect(broken.status == .unprocessableEntity)
      let diagnostics = try #require(broken.problemJSON?["diagnostics"] as? [[String: Any]])
      #expect(
        diagnostics.contains {
          $0["code"] as? String == "unclosed-block" && $0["line"] as? Int == 2
        })
      #expect(try await PromptTemplate.query(on: ctx.app.db).count() == 0)

      let template = try await createTemplate(f)
      #expect(template.version == 1)
      let patched = try await ctx.send(
        .PATCH, "/prompt-templates/\(template.id)", token: f.lead,
        object: (["bodyMd": Self.body + "\nVersion two."]))
      #expect(patched.status == .ok)
      #expect(try patched.content.decode(TemplateResponse.self).version == 2)

      // act: generate twice, then with an override, then pinned to version 1
      let first = try await generate(f, templateID: template.id, extra: ["ide": "vscode"])
      #expect(first.status == .created)
      let one = try first.content.decode(GenerationResponse.self)
      #expect(one.version == 1 && one.templateVersion == 2)
      #expect(
        one.promptText.hasPrefix(
          "# PS-42: Export invoices as CSV\n\nFinance needs a **CSV** export."))
      #expect(
        one.promptText.contains("Write tests in swift.\nLabels: finance, export\nVersion two."))
      #expect(one.tokens == (try Encoding.forModel("gpt-3.5-turbo")).count(one.promptText))
      #expect(one.encoding == "cl100k_base")

      let second = try await generate(f, templateID: template.id, extra: ["model": "gpt-4o"])
      let two = try second.content.decode(GenerationResponse.self)
      #expect(two.version == 2 && two.promptId == one.promptId && two.encoding == "o200k_base")
      #expect(two.tokens == (try Encoding.named(.o200kBase)).count(two.promptText))

      let overridden = try await generate(
        f, templateID: template.id, extra: ["templateOverride": ["bodyMd": "Short: {{title}}"]])
      #expect(
        try overridden.content.decode(GenerationResponse.self).promptText
          == "Short: Export invoices as CSV")

      let pinned = try await generate(f, templateID: template.id, extra: ["templateVersion": 1])
      let old = try pinned.content.decode(GenerationResponse.self)
      #expect(old.templateVersion == 1 && !old.promptText.contains("Version two."))
      #expect(old.version == 4)

      // the stored version is readable with its provenance
      let stored = try await ctx.send(
        .GET, "/prompt-versions/\(one.promptVersionId)", token: f.developer)
      let version = try stored.content.decode(PromptVersionResponse.self)
      #expect(version.promptText == one.promptText && version.templateVersion == 2)
      #expect(version.issueSnapshotSha256.count == 64)
      let prompt = try await ctx.send(.GET, "/prompts/\(one.promptId)", token: f.developer)
      #expect(
        try prompt.content.decode(PromptResponse.self).versions?.map(\.version) == [1, 2, 3, 4])
      let mine = try await ctx.send(
        .GET, "/prompts?mine=true&issueId=\(f.issueID)", token: f.developer)
      #expect(try mine.content.decode([PromptResponse].self).count == 1)

      // statistics
      let stats = try await ctx.send(.GET, "/stats/summary", token: f.lead)
      #expect(stats.status == .ok)
      let summary = try stats.content.decode(StatsSummary.self)
      #expect(summary.promptsToday == 4 && summary.promptsLast7Days == 4)
      let versions = try await PromptVersion.query(on: ctx.app.db).all()
      let mean = Double(versions.map(\.tokensEstimate).reduce(0, +)) / 4
      #expect(abs(summary.avgTokens - mean) < 1e-9)
      #expect(summary.byIde.contains { $0.ide == "vscode" && $0.prompts == 1 && $0.tokens > 0 })
      #expect(summary.topTemplates.first?.prompts == 4)
      #expect(try await ctx.send(.GET, "/stats/summary", token: f.developer).status == .forbidden)
      let paris = try await ctx.send(.GET, "/stats/summary?tz=Europe/Paris", token: f.admin)
      #expect(try paris.content.decode(StatsSummary.self).timeZone == "Europe/Paris")
      #expect(
        try await ctx.send(.GET, "/stats/summary?tz=Mars/Base", token: f.admin).status
          == .unprocessableEntity)
    }
  }

  @Test(arguments: TestDatabase.all)
  func rolesCompaniesAndBadInputAreRefused(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let f = try await Self.fixture(ctx)
      let template = try await createTemplate(f)
      let denied = try await ctx.send(
        .POST, "/prompt-templates", token: f.developer,
        object: (["name": "mine", "bodyMd": "x"]))
      #expect(denied.status == .forbidden)
      #expect(try await ctx.send(.GET, "/prompt-templates", token: f.developer).status == .ok)
      let duplicate = try await ctx.send(
        .POST, "/prompt-templates", token: f.lead, object: (["name": "implement", "bodyMd": "x"]))
      #expect(duplicate.status == .conflict)

      // vars are validated, every violation with its pointer
      let invalid = try await generate(
        f, templateID: template.id, extra: ["vars": ["tests": "yes", "language": "cobol"]])
      #expect(invalid.status == .unprocessableEntity)
      #expect(Set(invalid.problem?.errors?.map(\.field) ?? []) == ["vars/tests", "vars/language"])
      let unknownModel = try await generate(f, templateID: template.id, extra: ["model": "gpt-1"])
      #expect(unknownModel.status == .unprocessableEntity)
      let missingVersion = try await generate(
        f, templateID: template.id, extra: ["templateVersion": 9])
      #expect(missingVersion.status == .notFound)
      let badOverride = try await generate(
        f, templateID: template.id, extra: ["templateOverride": ["bodyMd": "{{#each}}"]])
      #expect(badOverride.status == .unprocessableEntity)
      let wrongShape = try await ctx.send(
        .POST, "/prompts/generate", token: f.developer, rawBody: #"{"issueId": 5}"#)
      #expect(wrongShape.status == .badRequest)

      // another company sees nothing
      let (_, stranger) = try await CompanyService(
        database: ctx.app.db, hasher: ctx.app.passwordHasher
      )
      .create(name: "Globex", adminEmail: "boss@globex.com", adminPassword: "globex-password-1")
      let strangerToken = try await ctx.login(stranger.email, "globex-password-1").accessToken
      let foreign = try await ctx.send(
        .POST, "/prompts/generate", token: strangerToken,
        object: ([
          "issueId": f.issueID.uuidString, "templateId": template.id, "vars": ["tests": true],
        ]))
      #expect(foreign.status == .notFound)
      #expect(
        try await ctx.send(.GET, "/prompt-templates/\(template.id)", token: strangerToken).status
          == .notFound)

      // archiving hides the template and refuses new generations, history stays readable
      let made = try await generate(f, templateID: template.id).content.decode(
        GenerationResponse.self)
      #expect(
        try await ctx.send(.DELETE, "/prompt-templates/\(template.id)", token: f.lead).status
          == .noContent)
      #expect(try await generate(f, templateID: template.id).status == .conflict)
      let listed = try await ctx.send(.GET, "/prompt-templates", token: f.developer)
      #expect(try listed.content.decode([TemplateResponse].self).isEmpty)
      #expect(
        try await ctx.send(.GET, "/prompt-versions/\(made.promptVersionId)", token: f.developer)
          .status == .ok)
      let history = try await ctx.send(
        .GET, "/prompt-templates/\(template.id)/versions/1", token: f.developer)
      #expect(history.status == .ok)
      let reused = try await ctx.send(
        .POST, "/prompt-templates", token: f.lead,
        object: (["name": "implement", "bodyMd": "again"]))
      #expect(reused.status == .created)
    }
  }

  @Test(arguments: TestDatabase.all)
  func concurrentGenerationsGetDistinctVersions(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let f = try await Self.fixture(ctx)
      let template = try await createTemplate(f)
      let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
        for _ in 0..<6 {
          group.addTask { Int(try await generate(f, templateID: template.id).status.code) }
        }
        return try await group.reduce(into: [Int]()) { $0.append($1) }
      }
      #expect(statuses == Array(repeating: 201, count: 6))
      let versions = try await PromptVersion.query(on: ctx.app.db).all().map(\.version).sorted()
      #expect(versions == [1, 2, 3, 4, 5, 6])
      // the prompt's count is the number the next generation starts from
      let counts = try await ctx.app.db.sql.raw("SELECT version_count FROM prompts").all()
        .map { try $0.decode(column: "version_count", as: Int.self) }
      #expect(counts == [6])
      // On PostgreSQL each went through the process's group of generations.
      guard database == .postgres else { return }
      let metrics = try await ctx.send(.GET, "/metrics").bodyString
      let shown = { (name: String) -> Int? in
        metrics.split(separator: "\n").first { $0.hasPrefix("promptsmith_generation_\(name) ") }
          .flatMap { Double($0.split(separator: " ")[1]) }.map { Int($0) }
      }
      #expect(shown("grouped_total") == 6)
      #expect((1...6).contains(shown("groups_total") ?? 0))
    }
  }

  @Test(arguments: TestDatabase.all)
  func aCountBehindTheVersionsCatchesUp(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let f = try await Self.fixture(ctx)
      let template = try await createTemplate(f)
      _ = try await generate(f, templateID: template.id)
      _ = try await generate(f, templateID: template.id)
      // versions written without the count (rows from before migration 024, say)
      try await ctx.app.db.sql.raw("UPDATE prompts SET version_count = 0").run()
      // act
      let next = try await generate(f, templateID: template.id)
      // check
      #expect(next.status == .created)
      #expect(try next.content.decode(GenerationResponse.self).version == 3)
    }
  }

  @Test(arguments: TestDatabase.all)
  func promptVersionsAreImmutableInTheDatabase(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let f = try await Self.fixture(ctx)
      let template = try await createTemplate(f)
      let made = try await generate(f, templateID: template.id).content.decode(
        GenerationResponse.self)
      let sql = ctx.app.db.sql
      await #expect(throws: (any Error).self) {
        try await sql.raw("UPDATE prompt_versions SET body_text = 'rewritten'").run()
      }
      await #expect(throws: (any Error).self) {
        try await sql.raw("DELETE FROM prompt_versions").run()
      }
      let stored = try await PromptVersion.find(
        UUID(uuidString: made.promptVersionId), on: ctx.app.db)
      #expect(stored?.bodyText == made.promptText)
    }
  }

  /// On PostgreSQL the plan checked is the generic one, which a prepared statement settles on
  /// after its first executions. Windows of whole UTC days read the rollup alone; others also
  /// the raw events of their partial days, through the index.
  @Test(arguments: TestDatabase.all)
  func statisticsQueriesUseTheIndex(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let sql = ctx.app.db.sql
      let midnight = Date(timeIntervalSince1970: 1_790_035_200)  // 2026-09-22 00:00 UTC
      let partial = StatsWindow(from: midnight.addingTimeInterval(-5_400), to: midnight)
      let whole = StatsWindow(from: midnight.addingTimeInterval(-86_400), to: midnight)
      #expect(!partial.isWholeDays && whole.isWholeDays)
      for (day, week) in [(partial, partial), (whole, whole), (whole, partial)] {
        let statement = StatsService.statement(ctx.companyID, day: day, week: week)
        let plan: String
        if database == .sqlite {
          plan = try await sql.raw("EXPLAIN QUERY PLAN \(statement.queryString(dialect: .sqlite))")
            .all()
            .map { try $0.decode(column: "detail", as: String.self) }.joined(separator: "\n")
        } else {
          plan = try await genericPlan(of: statement, on: sql)
        }
        #expect(plan.contains("generation_daily_stats"), "\(plan)")
        if day.isWholeDays && week.isWholeDays {
          #expect(statement is StatsService.WholeDaysSummary)
          #expect(!plan.contains("generation_events"), "\(plan)")
        } else {
          #expect(plan.contains("generation_events_company_id_timestamp_idx"), "\(plan)")
        }
        #expect(
          !plan.contains("SCAN generation_events\n")
            && !plan.contains("Seq Scan on generation_events"))
      }
    }
  }

  private func genericPlan(of statement: any FixedStatement, on sql: any SQLDatabase)
    async throws -> String
  {
    let types = statement.values.map { "\($0.postgresType)" }.joined(separator: ", ")
    return try await sql.withSession { session in
      try await session.raw("SET enable_seqscan = off").run()
      try await session.raw("SET plan_cache_mode = force_generic_plan").run()
      try await session.raw(
        "PREPARE plan_check (\(unsafeRaw: types)) AS \(unsafeRaw: type(of: statement).sql)"
      ).run()
      let arguments = statement.values.map { $0.literal }.joined(separator: ", ")
      let plan = try await session.raw("EXPLAIN EXECUTE plan_check(\(unsafeRaw: arguments))")
        .all()
        .map { try $0.decode(column: "QUERY PLAN", as: String.self) }.joined(separator: "\n")
      for reset in ["DEALLOCATE plan_check", "RESET enable_seqscan", "RESET plan_cache_mode"] {
        try await session.raw("\(unsafeRaw: reset)").run()
      }
      return plan
    }
  }
}
