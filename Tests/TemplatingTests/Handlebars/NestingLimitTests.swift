import Foundation
import Testing

@testable import Templating

/// A construct that nests, and how to write it `depth` levels deep.
struct NestingCase: Sendable, CustomTestStringConvertible {
  var name: String
  var build: @Sendable (Int) -> String

  var testDescription: String { name }

  /// `before`, `open` `depth` times, `middle`, `close` `depth` times, `after`.
  static func repeated(
    _ open: String, _ middle: String, _ close: String, before: String = "", after: String = ""
  ) -> @Sendable (Int) -> String {
    { depth in
      before + String(repeating: open, count: depth) + middle
        + String(repeating: close, count: depth) + after
    }
  }

  /// `{{#name x}}`, then `{{else name x}}` up to `depth` levels, `middle`, one `{{/name}}`.
  static func chain(_ name: String, middle: String = "y") -> @Sendable (Int) -> String {
    { depth in
      "{{#\(name) x}}" + String(repeating: "{{else \(name) x}}", count: depth - 1) + middle
        + "{{/\(name)}}"
    }
  }

  /// A third of the depth in blocks, a third in an else-with chain, the rest in sub-expressions.
  static func mixed(_ depth: Int) -> String {
    let blocks = depth / 3
    let chained = depth / 3
    let expressions = depth - blocks - chained
    let innermost = repeated("(eq 1 ", "1", ")", before: "{{not ", after: "}}")(expressions)
    return repeated("{{#if x}}", chain("with", middle: innermost)(chained), "{{/if}}")(blocks)
  }

  static let all: [NestingCase] = [
    NestingCase(name: "blocks", build: repeated("{{#if x}}", "y", "{{/if}}")),
    NestingCase(name: "inverse sections", build: repeated("{{^x}}", "y", "{{/x}}")),
    NestingCase(name: "sections", build: repeated("{{#x}}", "y", "{{/x}}")),
    NestingCase(name: "else-if chains", build: chain("if")),
    NestingCase(name: "else-unless chains", build: chain("unless")),
    NestingCase(name: "else-with chains", build: chain("with")),
    NestingCase(name: "else-each chains", build: chain("each")),
    NestingCase(
      name: "sub-expressions",
      build: repeated("(eq 1 ", "1", ")", before: "{{not ", after: "}}")),
    NestingCase(
      name: "sub-expressions in hashes",
      build: repeated("(eq k=", "1", ")", before: "{{not k=", after: "}}")),
    NestingCase(
      name: "sub-expressions naming a partial",
      build: repeated("(lookup ", "x", " 'p')", before: "{{> ", after: "}}")),
    NestingCase(name: "blocks, else-with chains and sub-expressions mixed", build: mixed),
  ]
}

private func hasNestingDiagnostic(_ diagnostics: [Diagnostic]) -> Bool {
  diagnostics.contains { $0.code == "render-limit-exceeded" && $0.limit == .nesting }
}

@Suite struct NestingLimitTests {
  @Test("at the limit: compiles, renders and lints", arguments: NestingCase.all, [100, 7])
  func atTheLimit(_ construct: NestingCase, limit: Int) throws {
    // setup
    let limits = RenderLimits(maxNesting: limit)
    let source = construct.build(limit)
    // act
    let compiled = try Template.compile(source, limits: limits)
    // check
    #expect(compiled.nesting == limit)
    do {
      _ = try compiled.render(["x": 1], partials: PartialDictionary(["p": "p"]), limits: limits)
    } catch {
      #expect(error.kind != .limitExceeded, "\(error)")
    }
    #expect(!hasNestingDiagnostic(Linter.lint(source, schema: nil, limits: limits)))
  }

  @Test(
    "one level more: refused by compile and by the linter", arguments: NestingCase.all, [100, 7])
  func overTheLimit(_ construct: NestingCase, limit: Int) {
    let limits = RenderLimits(maxNesting: limit)
    let source = construct.build(limit + 1)
    let error = #expect(throws: TemplateError.self) { try Template.compile(source, limits: limits) }
    #expect(error?.kind == .limitExceeded)
    #expect(error?.limit == .nesting)
    #expect(error?.message.contains("nest more than \(limit) levels deep") == true)
    #expect(hasNestingDiagnostic(Linter.lint(source, schema: nil, limits: limits)))
  }

  @Test("a 256 KiB body of nesting is refused cleanly", arguments: NestingCase.all)
  func hugeNesting(_ construct: NestingCase) {
    let source = construct.build(40_000)
    #expect(source.utf8.count >= 256 * 1024)
    let error = #expect(throws: TemplateError.self) { try Template.compile(source) }
    #expect(error?.limit == .nesting)
    #expect(hasNestingDiagnostic(Linter.lint(source, schema: nil)))
  }

  @Test func eighteenThousandElseIfsAreRefused() {
    // The report that started this: each `{{else if}}` nests one block deeper, and every pass
    // after the parser recursed over them until the stack overflowed.
    let source = NestingCase.chain("if")(18_000)
    #expect(source.utf8.count > 230_000)
    let error = #expect(throws: TemplateError.self) { try Template.compile(source) }
    #expect(error?.limit == .nesting)
    #expect(error?.line == 1)
    #expect(error?.column == 1 + 9 + 13 * 99)
    #expect(hasNestingDiagnostic(Linter.lint(source, schema: nil)))
    #expect(
      hasNestingDiagnostic(
        Linter.lint("{{> chain}}", schema: nil, partials: PartialDictionary(["chain": source]))))
  }

  @Test func partialBlocksNestWithinTheLimit() {
    let source = String(repeating: "{{#> p}}", count: 40_000)
    let error = #expect(throws: TemplateError.self) { try Template.compile(source) }
    #expect(error?.limit == .nesting)
    #expect(hasNestingDiagnostic(Linter.lint(source, schema: nil)))
  }

  /// Partials `p0`…`p9`, each nesting `depth` levels (rendering all of them: blocks, then an
  /// else-if chain whose last link holds) around the inclusion of the next one.
  private static func nestedPartials(depth: Int) -> PartialDictionary {
    var sources: [String: String] = [:]
    for level in 0..<10 {
      let inner = level == 9 ? "{{title}}" : "{{> p\(level + 1)}}"
      let links = depth - depth / 2
      let chain =
        "{{#if key}}" + String(repeating: "{{else if key}}", count: links - 2)
        + "{{else if title}}" + inner + "{{/if}}"
      sources["p\(level)"] = NestingCase.repeated("{{#if title}}", chain, "{{/if}}")(depth / 2)
    }
    return PartialDictionary(sources)
  }

  @Test func partialsNestWithinTheSameBudget() throws {
    // Ten partials deep (the partial limit), each nesting 10 levels: 100 in all, the limit.
    let partials = Self.nestedPartials(depth: 10)
    #expect(try Template.render("{{> p0}}", context: ["title": 1], partials: partials) == "1")
    #expect(Linter.lint("{{> p0}}", schema: nil, partials: partials).isEmpty)
    // One block around the first inclusion is one level too many.
    let over = "{{#if title}}\n  {{> p0}}{{/if}}"
    let error = #expect(throws: TemplateError.self) {
      try Template.render(over, context: ["title": 1], partials: partials)
    }
    #expect(error?.limit == .nesting)
    #expect(error?.partial == "p8")
    #expect(
      Linter.lint(over, schema: nil, partials: partials).map(\.limit) == [.nesting])
  }

  @Test func partialsEachWithinTheBudgetAreRefusedTogether() {
    // Each partial nests 100 levels, allowed alone; rendering them inside one another would
    // recurse 1,000 levels deep and overflow the stack.
    let partials = Self.nestedPartials(depth: 100)
    let error = #expect(throws: TemplateError.self) {
      try Template.render("{{> p0}}", context: ["title": 1], partials: partials)
    }
    #expect(error?.limit == .nesting)
    #expect(error?.partial == "p0")
    let diagnostics = Linter.lint("{{> p0}}", schema: nil, partials: partials)
    #expect(diagnostics.map(\.limit) == [.nesting])
    #expect(diagnostics.first?.message.hasPrefix("in partial 'p0' (1:") == true)
  }

  @Test func longFlatInputsAreHandledIteratively() throws {
    // Nothing nests here, so nothing may recurse: siblings, text, paths, arguments.
    let siblings = String(repeating: "{{#if title}}y{{else}}z{{/if}}\n", count: 10_000)
    #expect(try Template.render(siblings, context: ["title": true]).count == 20_000)
    #expect(Linter.lint(siblings, schema: nil).isEmpty)
    let sections = String(repeating: "{{#x}}a{{/x}}", count: 20_000)
    #expect(try Template.render(sections, context: ["x": true]).count == 20_000)
    let comment = "{{!-- " + String(repeating: "{{#if}} ", count: 40_000) + " --}}"
    #expect(try Template.render(comment, context: .null) == "")
    let path = "{{" + Array(repeating: "a", count: 50_000).joined(separator: ".") + "}}"
    #expect(try Template.render(path, context: .null) == "")
    let arguments = "{{and " + String(repeating: "1 ", count: 50_000) + "}}"
    #expect(try Template.render(arguments, context: .null) == "true")
    #expect(Linter.lint(arguments + path, schema: nil).count == 1)
  }

  @Test(
    "malformed long tags are refused in linear time",
    arguments: ["{{a", "{{[", "{{!", "{{1", "{{'", "{{\"", "{{{{", "{{as ", "\\{{", "{{#"])
  func malformedLongInputs(_ unit: String) {
    // 256 KiB of the same broken start: a lexer that rescans the rest at every byte would take
    // minutes here.
    let source = String(repeating: unit, count: 256 * 1024 / unit.utf8.count)
    do {
      _ = try Template.compile(source)
    } catch {
      #expect(error.kind != .limitExceeded || error.limit == .nesting)
    }
    _ = Linter.lint(source, schema: nil)
  }
}
