import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import App

/// `GET /stats/templates/:id` adds up rollups kept by triggers (whole UTC days) and raw rows
/// (partial days): its figures must be those of the prompt versions, outputs and reviews
/// themselves, for any range and time zone, after every kind of write and after the backfill.
@Suite struct TemplateQualityTests {
  static let timeZones = ["UTC", "Europe/Paris", "Asia/Kathmandu", "America/St_Johns"]

  @Test(arguments: TestDatabase.all)
  func theFiguresAreThoseOfTheRawRows(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let seeded = try await Self.seed(ctx)

      try await expectRawFigures(seeded)
      try await CreateTemplateVersionStats().revert(on: ctx.app.db)
      try await CreateTemplateVersionStats().prepare(on: ctx.app.db)
      try await expectRawFigures(seeded)
    }
  }

  @Test(arguments: TestDatabase.all)
  func compareResolvesLabelsAndRefusesWhatItCannotCompare(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let seeded = try await Self.seed(ctx)
      let f = seeded.fixture
      let id = seeded.templateID
      let compared = try await ctx.send(
        .GET, "/stats/templates/\(id)/compare?a=production&b=1", token: f.lead)
      #expect(compared.status == .ok)
      let comparison = try compared.content.decode(TemplateComparisonResponse.self)
      #expect(comparison.a.version == 2)
      #expect(comparison.b.version == 1)
      let all = try await quality(seeded, query: "")
      #expect(comparison.a == all.versions.first { $0.version == 2 })
      #expect(comparison.sampleSizes.a == comparison.a.reviewed)
      let expected = try #require(
        ProportionStatistics.difference(
          a: (comparison.a.accepted, comparison.a.reviewed),
          b: (comparison.b.accepted, comparison.b.reviewed)))
      #expect(comparison.rateDifference == expected.difference)
      #expect(comparison.differenceInterval == expected.interval)
      #expect(
        comparison.verdict
          == TemplateComparison.verdict(
            sampleSizes: (comparison.a.reviewed, comparison.b.reviewed),
            interval: expected.interval))

      let empty = try await ctx.send(
        .GET, "/stats/templates/\(id)/compare?a=3&b=latest", token: f.admin)
      let nothing = try empty.content.decode(TemplateComparisonResponse.self)
      #expect(nothing.verdict == "not_enough_data")
      #expect(nothing.rateDifference == nil && nothing.differenceInterval == nil)
      #expect(nothing.a.medianSecondsToFirstOutput == nil && nothing.a.meanPromptTokens == nil)

      for (query, field) in [("b=1", "a"), ("a=1", "b")] {
        let missing = try await ctx.send(
          .GET, "/stats/templates/\(id)/compare?\(query)", token: f.lead)
        #expect(missing.status == .badRequest, "\(query)")
        #expect(missing.body.string.contains("\(field)"), "\(query)")
      }
      for (query, field) in [
        ("a=1&b=staging", "b"), ("a=0&b=1", "a"), ("a=9&b=1", "a"),
        ("a=1&b=2&from=2026-03-30&to=2026-03-29", "from"), ("a=1&b=2&tz=Mars/Olympus", "tz"),
      ] {
        let refused = try await ctx.send(
          .GET, "/stats/templates/\(id)/compare?\(query)", token: f.lead)
        #expect(refused.status == .unprocessableEntity, "\(query)")
        #expect(refused.body.string.contains("\"\(field)\""), "\(query)")
      }
      let developer = try await ctx.send(
        .GET, "/stats/templates/\(id)/compare?a=1&b=2", token: f.developer)
      #expect(developer.status == .forbidden)
      let unknown = try await ctx.send(
        .GET, "/stats/templates/\(UUID())/compare?a=1&b=2", token: f.lead)
      #expect(unknown.status == .notFound)
    }
  }

  /// Outputs captured at once for one prompt: each is counted, and exactly one is its first.
  @Test(arguments: TestDatabase.all)
  func concurrentOutputsCountOneFirstOutput(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let seeded = try await Self.seed(ctx)
      let promptVersion = try #require(
        try await PromptVersion.query(on: ctx.app.db).sort(\.$createdAt, .descending).first())
      let before = try await quality(seeded, query: "")
      let sha = String(repeating: "a", count: 64)
      try await withThrowingTaskGroup(of: Void.self) { group in
        for _ in 0..<12 {
          group.addTask {
            try await ctx.app.db.sql.raw(
              """
              INSERT INTO outputs (id, company_id, prompt_version_id, creator_id, blob_sha256,
                kind, content_type, size, scan_status, created_at)
              VALUES (\(bind: UUID()), \(bind: ctx.companyID), \(bind: promptVersion.id),
                \(bind: promptVersion.$creator.id), \(bind: sha), 'text', 'text/plain', 1,
                'clean', \(bind: Date()))
              """
            ).run()
          }
        }
        try await group.waitForAll()
      }
      let after = try await quality(seeded, query: "")
      let version = try #require(before.versions.firstIndex { $0.version == 1 })
      #expect(after.versions[version].outputs == before.versions[version].outputs + 12)
      let firsts = try await ctx.app.db.sql.raw(
        """
        SELECT COUNT(*) AS n FROM prompt_version_first_outputs
        WHERE prompt_version_id = \(bind: promptVersion.id)
        """
      ).first(decoding: [String: Int].self)
      #expect(firsts?["n"] == 1)
      try await expectRawFigures(seeded)
    }
  }

  // MARK: Checking against the raw rows

  private func expectRawFigures(_ seeded: Seeded) async throws {
    let db = seeded.fixture.ctx.app.db
    let raw = try await RawRows.load(db, templateID: seeded.templateUUID)
    let reference = Date(timeIntervalSince1970: 1_774_785_600)  // 2026-03-29 12:00 UTC
    var windows: [(query: String, start: Date, end: Date)] = [
      ("", .distantPast, .distantFuture),
      (
        "from=2026-03-27T05:30:00Z&to=2026-03-29T23:59:59.5Z",
        reference.addingTimeInterval(-2 * 86_400 - 6.5 * 3_600),
        // taken down to the quarter hour
        reference.addingTimeInterval(12 * 3_600 - 15 * 60)
      ),
    ]
    for name in Self.timeZones {
      var calendar = Calendar(identifier: .gregorian)
      calendar.timeZone = try #require(TimeZone(identifier: name))
      let from = try #require(calendar.date(from: DateComponents(year: 2026, month: 3, day: 27)))
      let to = try #require(calendar.date(from: DateComponents(year: 2026, month: 3, day: 30)))
      windows.append(("from=2026-03-27&to=2026-03-29&tz=\(name)", from, to))
      windows.append(
        (
          "from=2026-03-28&tz=\(name)",
          try #require(calendar.date(byAdding: .day, value: 1, to: from)), .distantFuture
        ))
    }
    for window in windows {
      let answer = try await quality(seeded, query: window.query)
      #expect(answer.versions.map(\.version) == [3, 2, 1], "\(window.query)")
      for version in answer.versions {
        let expected = raw.figures(version: version.version, from: window.start, to: window.end)
        let context = "\(window.query) v\(version.version)"
        #expect(version.generations == expected.generations, "\(context)")
        #expect(version.outputs == expected.outputs, "\(context)")
        #expect(version.reviewed == expected.reviewed, "\(context)")
        #expect(version.accepted == expected.accepted, "\(context)")
        #expect(version.changesRequested == expected.changesRequested, "\(context)")
        #expect(version.rejected == expected.rejected, "\(context)")
        #expect(version.meanPromptTokens == expected.meanPromptTokens, "\(context)")
        #expect(version.meanOutputTokens == expected.meanOutputTokens, "\(context)")
        #expect(
          version.acceptanceRate
            == (expected.reviewed == 0
              ? nil : Double(expected.accepted) / Double(expected.reviewed)),
          "\(context)")
        if let exact = expected.lowerMedianSeconds {
          let estimate = try #require(version.medianSecondsToFirstOutput, "\(context)")
          #expect(
            TemplateVersionFacts.bucket(ofSeconds: estimate)
              == TemplateVersionFacts.bucket(ofSeconds: exact), "\(context) \(estimate) \(exact)")
          #expect(abs(estimate / exact - 1) < 0.15, "\(context) \(estimate) \(exact)")
        } else {
          #expect(version.medianSecondsToFirstOutput == nil, "\(context)")
        }
      }
    }
    // Every seeded row is in some version's all-time figures: nothing was lost or invented.
    let everything = try await quality(seeded, query: "")
    #expect(everything.versions.map(\.generations).reduce(0, +) == raw.versions.count)
    #expect(everything.versions.map(\.outputs).reduce(0, +) == raw.outputs.count)
    #expect(everything.versions[0].generations == 0 && everything.versions[0].labels.isEmpty)
    let labelled = try #require(everything.versions.first { $0.version == 2 })
    #expect(labelled.labels.map(\.label) == ["production"])
    #expect(labelled.labels.first?.to == nil)
    #expect(everything.versions.last?.labels.map(\.label) == ["production"])
    #expect(everything.versions.last?.labels.first?.to != nil)
  }

  private func quality(_ seeded: Seeded, query: String) async throws -> TemplateQualityResponse {
    let response = try await seeded.fixture.ctx.send(
      .GET, "/stats/templates/\(seeded.templateID)?\(query)", token: seeded.fixture.lead)
    #expect(response.status == .ok, "\(query): \(response.body.string)")
    return try response.content.decode(TemplateQualityResponse.self)
  }

  // MARK: Seeding

  struct Seeded {
    let fixture: CoreLoopTests.Fixture
    let templateID: String
    var templateUUID: UUID { UUID(uuidString: templateID)! }
  }

  /// A template with three versions (the third never used), one generation through the API,
  /// then prompt versions of versions 1 and 2 around day boundaries, 0 to 2 outputs each after
  /// delays from a fraction of a second to days, reviews inserted, changed (through the API
  /// and in SQL) and one deleted; `production` moved to version 1, then 2.
  static func seed(_ ctx: TestContext) async throws -> Seeded {
    let f = try await CoreLoopTests.fixture(ctx)
    let template = try await CoreLoopTests().createTemplate(f, name: "quality")
    for body in [CoreLoopTests.body + "\nv2", CoreLoopTests.body + "\nv3"] {
      let updated = try await ctx.send(
        .PATCH, "/prompt-templates/\(template.id)", token: f.lead, object: ["bodyMd": body])
      #expect(updated.status == .ok)
    }
    for version in [1, 2] {
      let moved = try await TemplateLabelTests.move(
        f, template.id, "production", to: version, token: f.lead)
      #expect(moved.status == .ok)
    }
    let generated = try await CoreLoopTests().generate(
      f, templateID: template.id, extra: ["templateVersion": 1])
    #expect(generated.status == .created)
    let first = try #require(try await PromptVersion.query(on: ctx.app.db).first())
    let versions = try await PromptTemplateVersion.query(on: ctx.app.db)
      .filter(\.$template.$id == UUID(uuidString: template.id)!).sort(\.$version).all()
    let sql = ctx.app.db.sql
    let sha = String(repeating: "a", count: 64)
    try await sql.raw(
      "INSERT INTO blobs (sha256, size, created_at) VALUES (\(bind: sha), 1, \(bind: Date()))"
    ).run()

    let reference = 1_774_785_600.0  // 2026-03-29 12:00 UTC, Paris's change to summer time
    let midnight = (reference / 86_400).rounded(.down) * 86_400
    let offsets: [Double] = [
      0, 0.000_001, 3_600, 2 * 3_600 + 1_800, 5 * 3_600 + 2_700, 11 * 3_600, 18 * 3_600 + 900,
      22 * 3_600 + 1, 23 * 3_600, 86_400 - 0.000_001,
    ]
    var random = SplitMix(seed: 42)
    var n = 0
    var outputIDs: [UUID] = []
    for day in -3...1 {
      for offset in offsets {
        n += 1
        let created = Date(timeIntervalSince1970: midnight + Double(day) * 86_400 + offset)
        let versionID = UUID()
        try await sql.raw(
          """
          INSERT INTO prompt_versions (id, prompt_id, company_id, creator_id, version, body_text,
            tokens_estimate, encoding, model, template_version_id, vars_json,
            issue_snapshot_sha256, created_at, allow_over_budget)
          VALUES (\(bind: versionID), \(bind: first.$prompt.id), \(bind: ctx.companyID),
            \(bind: first.$creator.id), \(bind: 100 + n), 'text', \(bind: 300 + 17 * n),
            'cl100k_base', 'gpt-4o', \(bind: try versions[n % 2].requireID()), '{}', 'x',
            \(bind: created), \(bind: false))
          """
        ).run()
        // seconds from 0.3 to about five days, spread evenly on a logarithmic scale
        var at = created.addingTimeInterval(0.3 * pow(1_500_000, random.unit()))
        for index in 0..<(n % 3) {
          let outputID = UUID()
          let tokens: Int? = (n + index) % 4 == 0 ? nil : 40 + 3 * n
          try await sql.raw(
            """
            INSERT INTO outputs (id, company_id, prompt_version_id, creator_id, blob_sha256, kind,
              content_type, size, scan_status, tokens_out, created_at)
            VALUES (\(bind: outputID), \(bind: ctx.companyID), \(bind: versionID),
              \(bind: first.$creator.id), \(bind: sha), 'text', 'text/plain', 1, 'clean',
              \(bind: tokens), \(bind: at))
            """
          ).run()
          outputIDs.append(outputID)
          at = at.addingTimeInterval(60)
        }
      }
    }
    let verdicts = ["accepted", "changes_requested", "rejected", "accepted", "accepted"]
    for (index, outputID) in outputIDs.enumerated() where index % 4 != 3 {
      try await sql.raw(
        """
        INSERT INTO output_reviews (id, output_id, company_id, verdict, links_json, reviewed_by,
          reviewed_at)
        VALUES (\(bind: UUID()), \(bind: outputID), \(bind: ctx.companyID),
          \(bind: verdicts[index % verdicts.count]), '[]', \(bind: first.$creator.id),
          \(bind: Date()))
        """
      ).run()
    }
    try await sql.raw(
      "UPDATE output_reviews SET verdict = 'rejected' WHERE output_id = \(bind: outputIDs[0])"
    ).run()
    try await sql.raw("DELETE FROM output_reviews WHERE output_id = \(bind: outputIDs[1])").run()
    for verdict in ["changes_requested", "accepted"] {
      let reviewed = try await ctx.send(
        .PUT, "/outputs/\(outputIDs[2].uuidString)/review", token: f.lead,
        object: ["verdict": verdict])
      #expect(reviewed.status == .ok)
    }
    return Seeded(fixture: f, templateID: template.id)
  }

  /// A deterministic generator (SplitMix64), so that a failure reproduces.
  struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func unit() -> Double {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    }
  }
}

/// The seeded template's prompt versions, outputs and reviews as stored, and what the
/// statistics must say about them.
private struct RawRows {
  let versions: [PromptVersion]
  let numbers: [UUID: Int]
  let outputs: [Output]
  let verdicts: [UUID: String]

  static func load(_ db: any Database, templateID: UUID) async throws -> RawRows {
    let templateVersions = try await PromptTemplateVersion.query(on: db)
      .filter(\.$template.$id == templateID).all()
    var numbers: [UUID: Int] = [:]
    for version in templateVersions { numbers[try version.requireID()] = version.version }
    let versions = try await PromptVersion.query(on: db).all()
      .filter { numbers[$0.$templateVersion.id] != nil }
    let ids = Set(versions.compactMap(\.id))
    let outputs = try await Output.query(on: db).all().filter { ids.contains($0.$promptVersion.id) }
    var verdicts: [UUID: String] = [:]
    for review in try await OutputReview.query(on: db).all() {
      verdicts[review.$output.id] = review.verdict
    }
    return RawRows(versions: versions, numbers: numbers, outputs: outputs, verdicts: verdicts)
  }

  struct Figures {
    var generations = 0
    var outputs = 0
    var reviewed = 0
    var accepted = 0
    var changesRequested = 0
    var rejected = 0
    var meanPromptTokens: Double?
    var meanOutputTokens: Double?
    var lowerMedianSeconds: Double?
  }

  func figures(version: Int, from start: Date, to end: Date) -> Figures {
    let chosen = versions.filter {
      numbers[$0.$templateVersion.id] == version && $0.createdAt! >= start && $0.createdAt! < end
    }
    var figures = Figures(generations: chosen.count)
    if !chosen.isEmpty {
      figures.meanPromptTokens =
        Double(chosen.map(\.tokensEstimate).reduce(0, +)) / Double(chosen.count)
    }
    var firsts: [Double] = []
    var outputTokens: [Int] = []
    for promptVersion in chosen {
      let own = outputs.filter { $0.$promptVersion.id == promptVersion.id }
      figures.outputs += own.count
      outputTokens += own.compactMap(\.tokensOut)
      if let first = own.map(\.createdAt!).min() {
        firsts.append(first.timeIntervalSince(promptVersion.createdAt!))
      }
      for output in own {
        guard let verdict = verdicts[output.id!] else { continue }
        figures.reviewed += 1
        switch verdict {
        case "accepted": figures.accepted += 1
        case "changes_requested": figures.changesRequested += 1
        default: figures.rejected += 1
        }
      }
    }
    if !outputTokens.isEmpty {
      figures.meanOutputTokens = Double(outputTokens.reduce(0, +)) / Double(outputTokens.count)
    }
    if !firsts.isEmpty { figures.lowerMedianSeconds = firsts.sorted()[(firsts.count - 1) / 2] }
    return figures
  }
}
