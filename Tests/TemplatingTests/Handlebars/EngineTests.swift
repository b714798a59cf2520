import Foundation
import Testing

@testable import Templating

private func json(_ text: String) throws -> JSONValue { try JSONValue(parsing: text) }

@Suite struct EngineTests {
  @Test func parseErrorsCarryPositionAndExcerpt() {
    // act
    let error = #expect(throws: TemplateError.self) {
      try Template.compile("first line\n  {{#if x}}\nno close")
    }
    // check
    #expect(error?.kind == .unclosedBlock)
    #expect(error?.line == 2)
    #expect(error?.column == 3)
    #expect(error?.excerpt == "  {{#if x}}")
    #expect(error?.description.hasPrefix("2:3: 'if' block is never closed") == true)
  }

  @Test func renderErrorsCarryPosition() throws {
    let template = try Template.compile("ok\nthen {{shout title}}")
    let error = #expect(throws: TemplateError.self) {
      try template.render(try json(#"{"title": "x"}"#))
    }
    #expect(error?.kind == .render)
    #expect(error?.message == "Missing helper: \"shout\"")
    #expect(error?.line == 2 && error?.column == 6)
  }

  @Test func columnsCountUnicodeScalars() {
    let error = #expect(throws: TemplateError.self) { try Template.compile("é😀 {{/x}}") }
    #expect(error?.line == 1 && error?.column == 4)
  }

  @Test func missingPartialIsAnError() throws {
    let error = #expect(throws: TemplateError.self) {
      try Template.render("a {{> nope}}", context: .null)
    }
    #expect(error?.kind == .missingPartial)
    #expect(error?.column == 3)
  }

  @Test func partialCycleIsAnErrorNotACrash() {
    let partials = PartialDictionary(["a": "a{{> b}}", "b": "b{{> a}}"])
    let error = #expect(throws: TemplateError.self) {
      try Template.render("{{> a}}", context: .null, partials: partials)
    }
    #expect(error?.kind == .circularPartial)
    #expect(error?.message.contains("a → b → a") == true)
  }

  @Test func partialsNestAtMostTenDeep() throws {
    var sources: [String: String] = [:]
    for i in 0..<12 { sources["p\(i)"] = "\(i){{> p\(i + 1)}}" }
    sources["p12"] = "end"
    let error = #expect(throws: TemplateError.self) {
      try Template.render("{{> p0}}", context: .null, partials: PartialDictionary(sources))
    }
    #expect(error?.kind == .partialDepth)
    sources["p9"] = "9"
    let output = try Template.render(
      "{{> p0}}", context: .null, partials: PartialDictionary(sources))
    #expect(output == "0123456789")
  }

  @Test func boundedRecursionRenders() throws {
    let data = try json(
      #"{"name": "root", "kids": [{"name": "a", "kids": [{"name": "b", "kids": []}]}]}"#)
    let partials = PartialDictionary(["node": "{{name}}({{#each kids}}{{> node}}{{/each}})"])
    #expect(try Template.render("{{> node}}", context: data, partials: partials) == "root(a(b()))")
  }

  @Test func errorInsidePartialNamesThePartial() {
    let partials = PartialDictionary(["p": "x\n {{nohelper 1}}"])
    let error = #expect(throws: TemplateError.self) {
      try Template.render("{{> p}}", context: .null, partials: partials)
    }
    #expect(error?.partial == "p")
    #expect(error?.line == 2 && error?.column == 2)
  }

  @Test func partialClosureResolves() throws {
    let partials = PartialClosure { $0 == "sig" ? "-- {{name}}" : nil }
    #expect(
      try Template.render("{{> sig}}", context: try json(#"{"name": "N"}"#), partials: partials)
        == "-- N")
  }

  @Test func cacheReusesCompiledTemplates() async throws {
    let cache = TemplateCache(capacity: 2)
    _ = try cache.compiled("a")
    _ = try cache.compiled("a")
    #expect(cache.count == 1)
    _ = try cache.compiled("b")
    _ = try cache.compiled("c")
    #expect(cache.count == 2)
    await withTaskGroup(of: Void.self) { group in
      for i in 0..<50 {
        group.addTask { _ = try? cache.compiled("t\(i % 5) {{x}}") }
      }
    }
    #expect(cache.count == 2)
    #expect(CompiledTemplate.hash("abc") == CompiledTemplate.hash("abc"))
    // least recently used goes first
    let lru = TemplateCache(capacity: 2)
    _ = try lru.compiled("a")
    _ = try lru.compiled("b")
    _ = try lru.compiled("a")
    _ = try lru.compiled("c")
    #expect(lru.contains("a") && lru.contains("c") && !lru.contains("b"))
    #expect(try Template.compile("abc").contentHash != CompiledTemplate.hash("abd"))
  }

  @Test func cacheKeysAreBytesNotCanonicalText() throws {
    // "é" precomposed and decomposed are equal Strings, but different templates: each renders
    // its own bytes.
    let cache = TemplateCache()
    let composed = "caf\u{E9}"
    let decomposed = "cafe\u{301}"
    #expect(composed == decomposed)
    #expect(Array(try cache.compiled(composed).render(.null).utf8) == Array(composed.utf8))
    #expect(Array(try cache.compiled(decomposed).render(.null).utf8) == Array(decomposed.utf8))
    #expect(cache.count == 2)
  }

  @Test func partialsFoundByNameStillRespectTheNestingLimit() throws {
    let partials = PartialDictionary(["deep": "{{#if a}}{{#if b}}{{#if c}}x{{/if}}{{/if}}{{/if}}"])
    #expect(try partials.partial(named: "deep", limits: .default) != nil)
    let error = #expect(throws: TemplateError.self) {
      try partials.partial(named: "deep", limits: RenderLimits(maxNesting: 2))
    }
    #expect(error?.limit == .nesting)
  }

  @Test(
    arguments: [(Double, String)]([
      (0.0, "0"), (-0.0, "0"), (1.0, "1"), (-1.5, "-1.5"), (0.1, "0.1"), (1e21, "1e+21"),
      (1e20, "100000000000000000000"), (1.2345678901234568e20, "123456789012345680000"),
      (1e-6, "0.000001"), (1e-7, "1e-7"), (1.5e-10, "1.5e-10"), (2.5e22, "2.5e+22"),
      (1.0 / 3.0, "0.3333333333333333"), (9_007_199_254_740_993.0, "9007199254740992"),
      (Double.nan, "NaN"), (Double.infinity, "Infinity"),
      (1.7976931348623157e308, "1.7976931348623157e+308"),
      (Double.leastNonzeroMagnitude, "5e-324"), (123e-20, "1.23e-18"), (0.000123, "0.000123"),
    ]))
  func javaScriptNumberFormatting(_ value: Double, _ expected: String) {
    #expect(JavaScript.numberString(value) == expected)
  }

  @Test func errorsBecomeDiagnostics() {
    let error = #expect(throws: TemplateError.self) { try Template.compile("x\n{{#if a}}") }
    #expect(error?.diagnostic.formatted == "2:1 error unclosed-block 'if' block is never closed")
  }

  @Test func partialsLoadFromADirectory() throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("partials-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try "-- {{name}}".write(
      to: directory.appendingPathComponent("sig.hbs"), atomically: true, encoding: .utf8)
    try "ignored".write(
      to: directory.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
    let partials = try PartialDictionary.loading(directory: directory)
    #expect(partials.sources.keys.sorted() == ["sig"])
    #expect(
      try Template.render("{{> sig}}", context: try json(#"{"name": "N"}"#), partials: partials)
        == "-- N")
  }

  @Test func renderContextPutsVariablesBesideTheIssue() throws {
    let context = BuiltinVariables.renderContext(
      issue: try json(#"{"key": "PS-1", "title": "T"}"#),
      vars: try json(#"{"tone": "dry", "title": "ignored"}"#))
    #expect(try Template.render("{{key}} {{title}} {{tone}}", context: context) == "PS-1 T dry")
  }

  @Test func builtinVariablesAreListedOnce() {
    #expect(
      BuiltinVariables.all.map(\.name) == [
        "key", "title", "description", "criteria", "status", "statusCategory", "priority", "type",
        "labels", "assignee", "url", "tracker",
      ])
  }
}
