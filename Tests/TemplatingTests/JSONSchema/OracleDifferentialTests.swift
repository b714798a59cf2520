import Foundation
import Templating
import Testing

/// Compares the validator with PyPI's `jsonschema` (Draft202012Validator) on the cases of
/// `scripts/gen-jsonschema-fixtures.py`: same validity, same set of violation pointers.
///
/// Pointers are comparable because both report errors of `anyOf`/`oneOf`/`not`/`required`/
/// `additionalProperties: false`/`items: false` at the instance they concern and flatten `allOf`
/// and `$ref`.
@Suite("JSON Schema vs jsonschema (Python)")
struct OracleDifferentialTests {
  @Test("validity and violation pointers match the oracle")
  func matchesOracle() throws {
    let fixture = try JSONSchemaFixtures.load(JSONSchemaFixtures.oracleCases)
    let cases = try #require(fixture["cases"]?.arrayValue)
    #expect(cases.count >= 150)
    var agreed = 0
    for (offset, testCase) in cases.enumerated() {
      let name = "case \(offset) (\(testCase["description"]?.stringValue ?? "?"))"
      let schemaJSON = try #require(testCase["schema"])
      let instance = try #require(testCase["instance"])
      let valid = try #require(testCase["valid"]?.boolValue as Bool?)
      let pointers = Set((testCase["pointers"]?.arrayValue ?? []).compactMap(\.stringValue))
      let schema: JSONSchema
      do {
        schema = try JSONSchema(schemaJSON)
      } catch {
        Issue.record("\(name): schema refused: \(error) — \(schemaJSON)")
        continue
      }
      let violations = schema.validate(instance)
      let actualPointers = Set(violations.map(\.pointer))
      // Where the oracle's pointers are known to be wrong, the fixture says so (see the script).
      let comparePointers = testCase["comparePointers"]?.boolValue ?? true
      if violations.isEmpty == valid, schema.isValid(instance) == valid,
        !comparePointers || actualPointers == pointers
      {
        agreed += 1
      } else {
        Issue.record(
          """
          \(name): expected \(valid ? "valid" : "invalid") at \(pointers.sorted()), \
          got \(violations) — schema \(schemaJSON), instance \(instance), \
          oracle said \(testCase["oracleMessages"] ?? [])
          """)
      }
    }
    let validityOnly = cases.filter { $0["comparePointers"]?.boolValue == false }.count
    print(
      "jsonschema oracle: \(agreed) of \(cases.count) cases agree "
        + "(\(validityOnly) compared on validity only)")
    #expect(validityOnly < cases.count / 20)
  }
}
