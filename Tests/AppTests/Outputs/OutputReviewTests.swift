import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// Reviews of outputs: who may give one, one current review, the verdict filter, the audit trail.
@Suite struct OutputReviewTests {
  @Test(arguments: TestDatabase.all)
  func theAuthorOrALeadReviewsAndANewReviewReplacesTheOld(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      // setup: the developer's output, another developer, a lead, another company
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
      let first = try await output.upload { $0.text(Array("Done.".utf8)) }
      let second = try await output.upload { $0.text(Array("Also done.".utf8)) }
      let firstID = try first.content.decode(OutputResponse.self).id
      let secondID = try second.content.decode(OutputResponse.self).id
      let colleague = try await ctx.createUser(role: .developer, adminToken: f.admin)
      let colleagueToken = try await ctx.login(colleague.email, colleague.password).accessToken
      let (_, other) = try await CompanyService(
        database: ctx.app.db, hasher: ctx.app.passwordHasher
      ).create(name: "Globex", adminEmail: "boss@globex.com", adminPassword: "globex-password-1")
      let stranger = try await ctx.login(other.email, "globex-password-1").accessToken
      func review(_ id: String, _ body: [String: Any], token: String) async throws
        -> TestingHTTPResponse
      {
        try await ctx.send(.PUT, "/outputs/\(id)/review", token: token, object: body)
      }
      // act
      let byAuthor = try await review(
        firstID,
        [
          "verdict": "changes_requested", "comment": "Tests missing",
          "links": ["https://github.com/acme/shop/pull/42"],
        ], token: f.developer)
      let byLead = try await review(firstID, ["verdict": "accepted"], token: f.lead)
      let byColleague = try await review(firstID, ["verdict": "rejected"], token: colleagueToken)
      let byStranger = try await review(firstID, ["verdict": "rejected"], token: stranger)
      let badLink = try await review(
        secondID, ["verdict": "accepted", "links": ["javascript:alert(1)"]], token: f.developer)
      let badVerdict = try await review(secondID, ["verdict": "great"], token: f.developer)
      let shown = try await ctx.send(.GET, "/outputs/\(firstID)", token: f.developer)
      let accepted = try await ctx.send(.GET, "/outputs?verdict=accepted", token: f.developer)
      let unreviewed = try await ctx.send(.GET, "/outputs?verdict=none", token: f.developer)
      let rejected = try await ctx.send(.GET, "/outputs?verdict=rejected", token: f.developer)
      let version = try await ctx.send(
        .GET, "/prompt-versions/\(prompt.promptVersionId)", token: f.developer)
      // check
      #expect(byAuthor.status == .ok)
      #expect(byAuthor.json?["verdict"] as? String == "changes_requested")
      #expect(byAuthor.json?["links"] as? [String] == ["https://github.com/acme/shop/pull/42"])
      #expect(byLead.status == .ok)
      #expect(byLead.json?["comment"] is NSNull)
      #expect(byColleague.status == .forbidden)
      #expect(byStranger.status == .notFound)
      #expect(badLink.status == .unprocessableEntity)
      #expect(badLink.problem?.errors?.first?.field == "links/0")
      #expect(badVerdict.status == .badRequest || badVerdict.status == .unprocessableEntity)
      let current = shown.json?["review"] as? [String: Any]
      #expect(current?["verdict"] as? String == "accepted")
      #expect(current?["reviewedByName"] as? String == "A lead")
      func ids(_ response: TestingHTTPResponse) throws -> [String] {
        let list = try JSONSerialization.jsonObject(with: Data(buffer: response.body))
        return (list as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
      }
      #expect(try ids(accepted) == [firstID])
      #expect(try ids(unreviewed) == [secondID])
      #expect(try ids(rejected) == [])
      let reviews = version.json?["reviews"] as? [[String: Any]]
      #expect(reviews?.map { $0["outputId"] as? String } == [firstID])
      #expect(try await OutputReview.query(on: ctx.app.db).count() == 1)
      let audited = try await AuditEvent.query(on: ctx.app.db)
        .filter(\.$action == "output.reviewed").all()
      #expect(audited.count == 2)
    }
  }
}
