import Foundation
import Templating

/// Locates the test fixtures by source path, so no resource declaration is needed.
enum JSONSchemaFixtures {
  /// `Tests/TemplatingTests/Fixtures`.
  static let directory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // JSONSchema
    .deletingLastPathComponent()  // TemplatingTests
    .appendingPathComponent("Fixtures")

  /// The official JSON Schema Test Suite files for our keywords.
  static let testSuiteDirectory =
    directory
    .appendingPathComponent("json-schema-test-suite")
    .appendingPathComponent("draft2020-12")

  /// The cases produced by `scripts/gen-jsonschema-fixtures.py` with PyPI's `jsonschema`.
  static let oracleCases = directory.appendingPathComponent("jsonschema-oracle-cases.json")

  /// Parses the JSON file at `url`.
  static func load(_ url: URL) throws -> JSONValue {
    try JSONValue(parsing: try Data(contentsOf: url))
  }
}
