import Foundation
import Testing

@testable import Templating

/// One case of a fixture generated from handlebars.js.
struct ReferenceCase: Sendable, CustomTestStringConvertible {
  var name: String
  var template: String
  var data: JSONValue
  var partials: [String: String]
  var expected: String?
  var error: String?

  var testDescription: String { name }

  static func load(_ file: String) -> [ReferenceCase] {
    guard let root = try? HandlebarsFixtures.load(file), let cases = root["cases"]?.arrayValue
    else {
      return []
    }
    return cases.map { entry in
      var partials: [String: String] = [:]
      for (key, value) in entry["partials"]?.objectValue?.pairs ?? [] {
        partials[key] = value.stringValue
      }
      let prefix = entry["file"]?.stringValue.map { $0 + ": " } ?? ""
      return ReferenceCase(
        name: prefix + (entry["name"]?.stringValue ?? "?"),
        template: entry["template"]?.stringValue ?? "",
        data: entry["data"] ?? .null,
        partials: partials,
        expected: entry["expected"]?.stringValue,
        error: entry["error"]?.stringValue)
    }
  }

  func check() {
    let resolver = PartialDictionary(partials)
    do {
      let output = try Template.compile(template).render(data, partials: resolver)
      if let error {
        Issue.record("expected an error (\(error)), got \(output.debugDescription)")
      } else {
        #expect(output == expected, "template: \(template.debugDescription)")
      }
    } catch {
      #expect(
        self.error != nil,
        "unexpected error \(error), expected \(expected?.debugDescription ?? "")")
    }
  }
}

@Suite struct DifferentialTests {
  static let corpusCases = ReferenceCase.load("handlebars-corpus.json")
  static let specCases = ReferenceCase.load("mustache-spec-handlebars.json")
  static let partialCases = ReferenceCase.load("handlebars-spec-partials.json")

  @Test func fixturesAreLoaded() {
    #expect(Self.corpusCases.count >= 500)
    #expect(Self.specCases.count >= 100)
    #expect(Self.partialCases.count >= 60)
  }

  @Test("handlebars.js corpus", arguments: corpusCases)
  func corpus(_ reference: ReferenceCase) {
    reference.check()
  }

  @Test("mustache spec as handlebars.js renders it", arguments: specCases)
  func mustacheSpec(_ reference: ReferenceCase) {
    reference.check()
  }

  @Test("partial blocks and inline partials from handlebars.js' spec", arguments: partialCases)
  func partialBlocks(_ reference: ReferenceCase) {
    reference.check()
  }
}
