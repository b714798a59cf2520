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

  @Test(arguments: TestDatabase.all)
  func aTemplateFillsACompanyLayout(_ database: TestDatabase) async throws {
    try await withTestApp(database) { ctx in
      // setup: a layout with a default section and a slot, and a template that fills both
      let f = try await CoreLoopTests.fixture(ctx)
      let loop = CoreLoopTests()
      _ = try await loop.createTemplate(
        f, name: "base",
        body: "{{key}}\n{{#> role}}You are an engineer.{{/role}}\n{{> @partial-block}}\n-- end")
      let task = try await loop.createTemplate(
        f, name: "task",
        body: """
          {{#> base}}
          {{#*inline "role"}}You are a {{#if tests}}careful {{/if}}reviewer.{{/inline}}
          Review {{title}}.
          {{/base}}
          """)
      // a partial block naming no template only warns: its block is the fallback
      let fallback = try await loop.createTemplate(
        f, name: "fallback", body: "{{#> nowhere}}Just {{title}}.{{/nowhere}}")

      // act
      let generated = try await loop.generate(f, templateID: task.id)
      let fellBack = try await loop.generate(f, templateID: fallback.id)

      // check (a one-line inline definition is not a standalone line, so its line break stays,
      // as in handlebars.js)
      #expect(generated.status == .created && fellBack.status == .created)
      #expect(
        try generated.content.decode(GenerationResponse.self).promptText
          == "PS-42\nYou are a careful reviewer.\n\nReview Export invoices as CSV.\n-- end")
      #expect(
        try fellBack.content.decode(GenerationResponse.self).promptText
          == "Just Export invoices as CSV.")
    }
  }
}
