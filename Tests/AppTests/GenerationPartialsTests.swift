import Foundation
import Testing
import VaporTesting

@testable import App

/// A generation loads the company's templates as partials only when its template calls one.
@Suite struct GenerationPartialsTests {
  @Test(arguments: TestDatabase.all)
  func aTemplateCallingAPartialRendersItAndOneWithoutRendersAlone(_ database: TestDatabase)
    async throws
  {
    try await withTestApp(database) { ctx in
      // setup
      let f = try await CoreLoopTests.fixture(ctx)
      let loop = CoreLoopTests()
      _ = try await loop.createTemplate(f, name: "footer", body: "-- {{key}} ({{tracker}})")
      let main = try await loop.createTemplate(
        f, name: "main",
        body: "{{title}}\n{{#if tests}}{{#each labels}}{{/each}}{{> footer}}{{/if}}")
      let plain = try await loop.createTemplate(f, name: "plain", body: "{{title}} only")

      // act
      let withPartial = try await loop.generate(f, templateID: main.id)
      let without = try await loop.generate(f, templateID: plain.id)

      // check
      #expect(withPartial.status == .created && without.status == .created)
      #expect(
        try withPartial.content.decode(GenerationResponse.self).promptText
          == "Export invoices as CSV\n-- PS-42 (Acme Jira)")
      #expect(
        try without.content.decode(GenerationResponse.self).promptText
          == "Export invoices as CSV only")
    }
  }
}
