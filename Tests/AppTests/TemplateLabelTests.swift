import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// Labels name versions; generation follows them; four-eyes protects the ones a company
/// chooses.
@Suite struct TemplateLabelTests {
  /// A template with two versions, written by the fixture's lead.
  static func twoVersions(_ f: CoreLoopTests.Fixture) async throws -> String {
    let template = try await CoreLoopTests().createTemplate(f)
    let updated = try await f.ctx.send(
      .PATCH, "/prompt-templates/\(template.id)", token: f.lead,
      object: ["bodyMd": CoreLoopTests.body + "\nv2"])
    #expect(updated.json?["version"] as? Int == 2)
    return template.id
  }

  static func move(
    _ f: CoreLoopTests.Fixture, _ id: String, _ label: String, to version: Any, token: String
  ) async throws -> TestingHTTPResponse {
    try await f.ctx.send(
      .PUT, "/prompt-templates/\(id)/labels/\(label)", token: token, object: ["version": version])
  }

  static func history(_ f: CoreLoopTests.Fixture, _ id: String, _ label: String) async throws
    -> [[String: Any]]
  {
    let response = try await f.ctx.send(
      .GET, "/prompt-templates/\(id)/labels/\(label)/history", token: f.developer)
    #expect(response.status == .ok)
    return try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]]
      ?? []
  }

  @Test(arguments: TestDatabase.all)
  func aLabelMovesIsRemovedAndKeepsItsHistory(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let f = try await CoreLoopTests.fixture(ctx)
      let id = try await Self.twoVersions(f)
      // act
      let first = try await Self.move(f, id, "production", to: 1, token: f.lead)
      let second = try await Self.move(f, id, "production", to: 2, token: f.lead)
      let same = try await Self.move(f, id, "production", to: 2, token: f.lead)
      let listed = try await ctx.send(.GET, "/prompt-templates/\(id)/labels", token: f.developer)
      let latest = try await Self.move(f, id, "latest", to: 1, token: f.lead)
      let malformed = try await Self.move(f, id, "Prod", to: 1, token: f.lead)
      let missingVersion = try await Self.move(f, id, "production", to: 9, token: f.lead)
      let byDeveloper = try await Self.move(f, id, "staging", to: 1, token: f.developer)
      let removed = try await ctx.send(
        .DELETE, "/prompt-templates/\(id)/labels/production", token: f.lead)
      let removedAgain = try await ctx.send(
        .DELETE, "/prompt-templates/\(id)/labels/production", token: f.lead)
      let otherTemplate = try await Self.move(
        f, UUID().uuidString.lowercased(), "production", to: 1, token: f.lead)
      let history = try await Self.history(f, id, "production")
      // check
      #expect(first.status == .ok)
      #expect(first.json?["label"] as? String == "production")
      #expect(first.json?["version"] as? Int == 1)
      #expect(second.json?["version"] as? Int == 2)
      #expect(same.status == .ok)
      let labels =
        try JSONSerialization.jsonObject(with: Data(buffer: listed.body)) as? [[String: Any]]
      #expect(labels?.map { $0["label"] as? String } == ["production"])
      #expect(labels?.first?["version"] as? Int == 2)
      #expect(latest.status == .unprocessableEntity)
      #expect(latest.problem?.errors?.first?.field == "label")
      #expect(malformed.status == .unprocessableEntity)
      #expect(missingVersion.status == .unprocessableEntity)
      #expect(missingVersion.problem?.errors?.first?.field == "version")
      #expect(byDeveloper.status == .forbidden)
      #expect(removed.status == .noContent)
      #expect(removedAgain.status == .notFound)
      #expect(otherTemplate.status == .notFound)
      // newest first: the removal, the move to 2, the first setting; the no-op is not a move
      #expect(history.map { $0["version"] as? Int } == [nil, 2, 1])
      #expect(history.map { $0["previousVersion"] as? Int } == [2, 1, nil])
      let audited = try await AuditEvent.query(on: ctx.app.db)
        .filter(\.$action ~~ ["template.label.moved", "template.label.removed"]).count()
      #expect(audited == 3)
    }
  }

  @Test(arguments: TestDatabase.all)
  func generationFollowsTheLabels(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let f = try await CoreLoopTests.fixture(ctx)
      let id = try await Self.twoVersions(f)
      let loop = CoreLoopTests()
      // act: no label set, then production on version 1, then a rollforward to 2
      let beforeLabels = try await loop.generate(f, templateID: id)
      _ = try await Self.move(f, id, "production", to: 1, token: f.lead)
      let onProduction = try await loop.generate(f, templateID: id)
      let explicitLatest = try await loop.generate(
        f, templateID: id, extra: ["templateLabel": "latest"])
      let pinned = try await loop.generate(f, templateID: id, extra: ["templateVersion": 2])
      let unknown = try await loop.generate(f, templateID: id, extra: ["templateLabel": "staging"])
      let both = try await loop.generate(
        f, templateID: id, extra: ["templateLabel": "production", "templateVersion": 1])
      let preview = try await ctx.send(
        .POST, "/prompts/preview", token: f.developer,
        object: ["issueId": f.issueID.uuidString, "templateId": id, "vars": ["tests": true]])
      _ = try await Self.move(f, id, "production", to: 2, token: f.lead)
      let afterMove = try await loop.generate(f, templateID: id)
      // check
      #expect(beforeLabels.json?["templateVersion"] as? Int == 2)
      #expect(beforeLabels.json?["templateLabel"] as? String == "latest")
      #expect(onProduction.json?["templateVersion"] as? Int == 1)
      #expect(onProduction.json?["templateLabel"] as? String == "production")
      #expect(explicitLatest.json?["templateVersion"] as? Int == 2)
      #expect(pinned.json?["templateVersion"] as? Int == 2)
      #expect(pinned.json?["templateLabel"] is NSNull)
      #expect(unknown.status == .notFound)
      #expect(both.status == .unprocessableEntity)
      #expect(both.problem?.errors?.first?.field == "templateLabel")
      #expect(preview.json?["templateVersion"] as? Int == 1)
      #expect(preview.json?["templateLabel"] as? String == "production")
      #expect(afterMove.json?["templateVersion"] as? Int == 2)
      let versionID = try #require(onProduction.json?["promptVersionId"] as? String)
      let stored = try await ctx.send(.GET, "/prompt-versions/\(versionID)", token: f.developer)
      #expect(stored.json?["templateLabel"] as? String == "production")
      #expect(stored.json?["templateVersion"] as? Int == 1)
    }
  }

  @Test(arguments: TestDatabase.all)
  func aProtectedLabelNeedsASecondPerson(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let f = try await CoreLoopTests.fixture(ctx)
      let id = try await Self.twoVersions(f)
      // act
      let byLead = try await ctx.send(
        .PATCH, "/companies/current", token: f.lead, object: ["requireReviewFor": ["production"]])
      let invalid = try await ctx.send(
        .PATCH, "/companies/current", token: f.admin, object: ["requireReviewFor": ["latest"]])
      let protected = try await ctx.send(
        .PATCH, "/companies/current", token: f.admin,
        object: ["requireReviewFor": ["production", "production"]])
      let shown = try await ctx.send(.GET, "/companies/current", token: f.developer)
      let byAuthor = try await Self.move(f, id, "production", to: 2, token: f.lead)
      let unprotected = try await Self.move(f, id, "staging", to: 2, token: f.lead)
      let byReviewer = try await Self.move(f, id, "production", to: 2, token: f.admin)
      _ = try await ctx.send(
        .PATCH, "/companies/current", token: f.admin, object: ["requireReviewFor": []])
      let afterOff = try await Self.move(f, id, "production", to: 1, token: f.lead)
      // check
      #expect(byLead.status == .forbidden)
      #expect(invalid.status == .unprocessableEntity)
      #expect(invalid.problem?.errors?.first?.field == "requireReviewFor/0")
      #expect(protected.json?["requireReviewFor"] as? [String] == ["production"])
      #expect(shown.json?["requireReviewFor"] as? [String] == ["production"])
      #expect(shown.json?["name"] as? String == "Acme")
      #expect(byAuthor.status == .forbidden)
      #expect(byAuthor.problem?.type == "review-required")
      let approvers = byAuthor.problem?.approvers?.map(\.email) ?? []
      #expect(approvers == [ctx.adminEmail])
      #expect(byAuthor.problem?.detail?.contains("version 2") == true)
      #expect(unprotected.status == .ok)
      #expect(byReviewer.status == .ok)
      #expect(afterOff.status == .ok)
      let labels = try await TemplateLabel.query(on: ctx.app.db).filter(\.$label == "production")
        .all()
      #expect(labels.map(\.version) == [1])
      let audited = try await AuditEvent.query(on: ctx.app.db)
        .filter(\.$action == "company.updated").count()
      #expect(audited == 2)
    }
  }

  @Test(arguments: TestDatabase.all)
  func concurrentMovesKeepTheHistoryWhole(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let f = try await CoreLoopTests.fixture(ctx)
      let id = try await Self.twoVersions(f)
      // act: twelve moves at once, alternating between the two versions
      let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
        for index in 0..<12 {
          group.addTask {
            try await Self.move(f, id, "production", to: index % 2 + 1, token: f.lead).status
          }
        }
        return try await group.reduce(into: []) { $0.append($1) }
      }
      let history = try await Self.history(f, id, "production")
      let current = try await TemplateLabel.query(on: ctx.app.db).filter(\.$label == "production")
        .first()
      // check: each move saw the one before it, and the label is where the newest move put it
      #expect(statuses.allSatisfy { $0 == .ok })
      #expect(!history.isEmpty)
      for (newer, older) in zip(history, history.dropFirst()) {
        #expect(newer["previousVersion"] as? Int == older["version"] as? Int)
      }
      #expect(history.last?["previousVersion"] is NSNull)
      #expect(current?.version == history.first?["version"] as? Int)
    }
  }

  @Test(arguments: TestDatabase.all)
  func aDiffTakesLabels(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      let f = try await CoreLoopTests.fixture(ctx)
      let id = try await Self.twoVersions(f)
      _ = try await Self.move(f, id, "production", to: 1, token: f.lead)
      // act
      let labelled = try await ctx.send(
        .GET, "/prompt-templates/\(id)/diff?from=production&to=latest", token: f.developer)
      let unset = try await ctx.send(
        .GET, "/prompt-templates/\(id)/diff?from=staging", token: f.developer)
      let malformed = try await ctx.send(
        .GET, "/prompt-templates/\(id)/diff?from=Prod!", token: f.developer)
      // check
      #expect(labelled.status == .ok)
      #expect(labelled.json?["from"] as? Int == 1)
      #expect(labelled.json?["to"] as? Int == 2)
      #expect(unset.status == .notFound)
      #expect(malformed.status == .badRequest || malformed.status == .unprocessableEntity)
    }
  }
}
