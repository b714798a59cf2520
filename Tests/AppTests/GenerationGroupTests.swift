import Fluent
import Foundation
import SQLKit
import Synchronization
import Testing

@testable import App

/// Concurrent generations stored in groups on PostgreSQL (`StatementGroup`,
/// `GenerationService.StoreGroupInOneStatement`).
@Suite struct GenerationGroupTests {
  @Test func groupsRunOneAtATimeAndAnswerEveryItemWithItsOwnOutcome() async throws {
    let group = StatementGroup<Int, Int>(largest: 8)
    let probe = Probe()
    let outcomes = await withTaskGroup(of: (Int, Int).self) { tasks in
      for item in 0..<100 {
        tasks.addTask {
          let outcome = await group.submit(item) { items in
            #expect(probe.running.add(1, ordering: .sequentiallyConsistent).newValue == 1)
            probe.sizes.withLock { $0.append(items.count) }
            // Long enough for the others to queue behind this group.
            try? await Task.sleep(for: .milliseconds(2))
            probe.running.subtract(1, ordering: .sequentiallyConsistent)
            return items.map { $0 * 10 }
          }
          return (item, outcome)
        }
      }
      return await tasks.reduce(into: [(Int, Int)]()) { $0.append($1) }
    }
    #expect(outcomes.count == 100)
    #expect(outcomes.allSatisfy { $0.1 == $0.0 * 10 })
    let groupSizes = probe.sizes.withLock { $0 }
    #expect(groupSizes.reduce(0, +) == 100)
    #expect(groupSizes.allSatisfy { (1...8).contains($0) })
    #expect(groupSizes.contains { $0 > 1 }, "\(groupSizes)")
  }

  @Test(arguments: TestDatabase.all)
  func aGroupNumbersEachPromptsVersionsInOrderAndCountsThemAll(_ database: TestDatabase)
    async throws
  {
    guard database == .postgres else { return }
    try await withTestApp(database) { ctx in
      let rows = try await Rows(ctx)
      let first = rows.generation(issue: rows.issues[0])
      _ = try await GenerationService.storeAlone(first, on: ctx.app.db)
      // Three more of the first prompt, two of a new one, interleaved.
      let group = [0, 1, 0, 1, 0].map { rows.generation(issue: rows.issues[$0]) }
      // act
      let outcomes = await GenerationService.storeGroup(group, on: ctx.app.db)
      // check
      let stored = outcomes.map { outcome -> StoredGeneration? in
        guard case .stored(let generation) = outcome else { return nil }
        return generation
      }
      #expect(stored.map { $0?.version } == [2, 1, 3, 2, 4])
      #expect(stored.map { $0?.created } == [false, true, false, false, false])
      let sql = ctx.app.db.sql
      let counts = try await sql.raw(
        "SELECT version_count FROM prompts ORDER BY version_count"
      ).all().map { try $0.decode(column: "version_count", as: Int.self) }
      #expect(counts == [2, 4])
      let audited = try await sql.raw(
        "SELECT action, details_json FROM audit_events WHERE entity_type = 'prompt'"
      ).all().map {
        "\(try $0.decode(column: "action", as: String.self)) "
          + (try $0.decode(column: "details_json", as: String.self))
      }
      #expect(
        audited.sorted() == [
          "prompt.created {\"version\":\"1\"}", "prompt.created {\"version\":\"1\"}",
          "prompt.updated {\"version\":\"2\"}", "prompt.updated {\"version\":\"2\"}",
          "prompt.updated {\"version\":\"3\"}", "prompt.updated {\"version\":\"4\"}",
        ])
      let counted = try await sql.raw(
        "SELECT CAST(SUM(prompts) AS BIGINT) AS n FROM generation_daily_stats"
      )
      .first().map { try $0.decode(column: "n", as: Int.self) }
      #expect(counted == 6)
      let events = try await sql.raw("SELECT COUNT(*) AS n FROM generation_events").first()
        .map { try $0.decode(column: "n", as: Int.self) }
      #expect(events == 6)
    }
  }

  @Test(arguments: TestDatabase.all)
  func aGroupThatFailsWritesNothingAndSendsEachGenerationAlone(_ database: TestDatabase)
    async throws
  {
    guard database == .postgres else { return }
    try await withTestApp(database) { ctx in
      let rows = try await Rows(ctx)
      var broken = rows.generation(issue: rows.issues[1])
      broken = broken.with(templateVersionID: UUID())  // no such template version
      let group = [rows.generation(issue: rows.issues[0]), broken]
      // act
      let outcomes = await GenerationService.storeGroup(group, on: ctx.app.db)
      // check
      #expect(outcomes.allSatisfy { if case .alone = $0 { true } else { false } })
      let versions = try await ctx.app.db.sql.raw("SELECT COUNT(*) AS n FROM prompt_versions")
        .first().map { try $0.decode(column: "n", as: Int.self) }
      #expect(versions == 0)
      // Alone, the good one is stored; the broken one is left to the transaction, which
      // reports its error.
      #expect(try await GenerationService.storeAlone(group[0], on: ctx.app.db)?.version == 1)
      #expect(try await GenerationService.storeAlone(broken, on: ctx.app.db) == nil)
    }
  }

  /// Two groups at once, as two API processes would run them, over the same prompts and
  /// overlapping statistics rows: every generation is stored by its group and each prompt's
  /// versions are numbered without gaps. Each group takes its locks in key order (migration
  /// 026); unordered, pgbench found deadlocks in about one pair of groups in a thousand
  /// (bench/results/2026-12-07-round11-pgbench.txt), more than this test runs.
  @Test(arguments: TestDatabase.all)
  func concurrentGroupsOverTheSameRowsStoreEveryGeneration(_ database: TestDatabase) async throws {
    guard database == .postgres else { return }
    try await withTestApp(database) { ctx in
      let rows = try await Rows(ctx)
      let db = ctx.app.db
      // The prompts exist: a prompt created by the other group after this one's snapshot
      // would send its generations alone, rightly, and hide what this test looks for.
      for issue in rows.issues {
        _ = try await GenerationService.storeAlone(rows.generation(issue: issue), on: db)
      }
      // Random sets of statistics rows (an IDE each), overlapping: unordered, PostgreSQL's
      // hashed grouping gives two sets their rows in orders that cross now and then.
      let ides = (0..<12).map { "ide\($0)" }
      var stored = 0
      for _ in 0..<20 {
        let groups = (0..<2).map { _ in
          ides.shuffled().prefix(Int.random(in: 2...10)).map {
            rows.generation(issue: rows.issues.randomElement()!, ide: $0)
          }
        }
        async let first = GenerationService.storeGroup(groups[0], on: db)
        async let second = GenerationService.storeGroup(groups[1], on: db)
        let outcomes = await first + second
        stored += outcomes.count
        #expect(
          outcomes.allSatisfy { if case .stored = $0 { true } else { false } }, "\(outcomes)")
      }
      let versions = try await db.sql.raw("SELECT COUNT(*) AS n FROM prompt_versions").first()
        .map { try $0.decode(column: "n", as: Int.self) }
      #expect(versions == 2 + stored)
      let gaps = try await db.sql.raw(
        "SELECT COUNT(*) AS n FROM (SELECT prompt_id FROM prompt_versions GROUP BY prompt_id"
          + " HAVING COUNT(*) <> MAX(version)) AS gapped"
      ).first().map { try $0.decode(column: "n", as: Int.self) }
      #expect(gaps == 0)
    }
  }

  /// How many groups run at once, and the size of each.
  private final class Probe: Sendable {
    let running = Atomic(0)
    let sizes = Mutex<[Int]>([])
  }

  /// Rows a generation's statement refers to: a template at version 1, two issues, a user.
  private struct Rows {
    let companyID: UUID
    let templateID: UUID
    let templateVersionID: UUID
    let userID: UUID
    let issues: [UUID]

    init(_ ctx: TestContext) async throws {
      let f = try await CoreLoopTests.fixture(ctx)
      let response = try await ctx.send(
        .POST, "/prompt-templates", token: f.lead,
        object: (["name": "implement", "bodyMd": "# {{title}}"]))
      let template = try response.content.decode(TemplateResponse.self)
      let sql = ctx.app.db.sql
      companyID = ctx.companyID
      templateID = try #require(UUID(uuidString: template.id))
      templateVersionID = try #require(
        try await sql.raw(
          "SELECT id FROM prompt_template_versions WHERE template_id = \(bind: templateID)"
        ).first()?.decode(column: "id", as: UUID.self))
      userID = try #require(
        try await sql.raw("SELECT id FROM users WHERE role = 'developer'").first()?
          .decode(column: "id", as: UUID.self))
      issues = [
        f.issueID,
        try await CoreLoopTests.insertIssue(ctx.app.db, companyID: ctx.companyID, key: "PS-43"),
      ]
    }

    func generation(issue: UUID, ide: String? = nil) -> GenerationService.StoreInOneStatement {
      GenerationService.StoreInOneStatement(
        newPromptID: .v7(), companyID: companyID, issueID: issue, templateID: templateID,
        userID: userID, now: Date(), versionID: .v7(), text: "# Export invoices", tokens: 3,
        encoding: "o200k_base", model: "gpt-4o", templateVersionID: templateVersionID,
        overrideBody: nil, overrideLint: nil, vars: "{}", snapshot: "0", templateLabel: nil,
        allowOverBudget: false, eventID: .v7(), ide: ide, audited: true,
        client: ClientInfo(ip: "127.0.0.1", userAgent: "tests", requestID: nil))
    }
  }
}

extension GenerationService.StoreInOneStatement {
  fileprivate func with(templateVersionID: UUID) -> Self {
    Self(
      newPromptID: newPromptID, companyID: companyID, issueID: issueID, templateID: templateID,
      userID: userID, now: now, versionID: versionID, text: text, tokens: tokens,
      encoding: encoding, model: model, templateVersionID: templateVersionID,
      overrideBody: overrideBody, overrideLint: overrideLint, vars: vars, snapshot: snapshot,
      templateLabel: templateLabel, allowOverBudget: allowOverBudget, eventID: eventID, ide: ide,
      audited: audited, client: client)
  }
}
