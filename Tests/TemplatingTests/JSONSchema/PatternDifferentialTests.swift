import Foundation
import Templating
import Testing

/// Compares `pattern` matching with Node's `RegExp` (flag `u`) on the random patterns and
/// strings of `Fixtures/gen-ecma-pattern-cases.js`.
@Suite("JSONSchema pattern vs Node's RegExp")
struct PatternDifferentialTests {
  @Test("every case agrees with ECMA-262 as Node implements it")
  func matchesNode() throws {
    let fixture = try JSONSchemaFixtures.load(
      JSONSchemaFixtures.directory.appendingPathComponent("ecma-pattern-cases.json"))
    let groups = try #require(fixture["groups"]?.arrayValue)
    #expect(groups.count == 600)
    var agreed = 0
    var matching = 0
    for group in groups {
      let pattern = try #require(group["pattern"]?.stringValue)
      let schema: JSONSchema
      do {
        schema = try JSONSchema(["pattern": .string(pattern)])
      } catch {
        Issue.record("\(pattern.debugDescription) refused: \(error)")
        continue
      }
      for testCase in group["cases"]?.arrayValue ?? [] {
        let input = try #require(testCase[0]?.stringValue)
        let expected = try #require(testCase[1]?.boolValue as Bool?)
        if schema.isValid(.string(input)) == expected {
          agreed += 1
          if expected { matching += 1 }
        } else {
          Issue.record(
            "\(pattern.debugDescription) on \(input.debugDescription): Node says \(expected)")
        }
      }
    }
    #expect(agreed == 3_600)
    // Both answers are well represented.
    #expect(matching > 1_000 && matching < 2_600)
  }
}
