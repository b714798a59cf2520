import Foundation
import Templating
import Testing

/// Runs the official JSON Schema Test Suite (draft 2020-12 files for our keywords).
///
/// Every group whose schema uses only supported keywords (with local references) must pass every
/// test; every other group must be refused with a `SchemaError`. Which is which is decided here
/// by an independent scan of the schema, not by the validator itself.
@Suite("JSON Schema Test Suite")
struct ConformanceSuiteTests {
  /// Groups left out on purpose, as "file: group description", each with its reason.
  /// Keep this list as short as possible.
  static let skipped: [String: String] = [:]

  @Test("every supported group passes, every other group is refused")
  func runSuite() throws {
    let files = try FileManager.default.contentsOfDirectory(
      at: JSONSchemaFixtures.testSuiteDirectory, includingPropertiesForKeys: nil
    )
    .filter { $0.pathExtension == "json" }
    .sorted { $0.lastPathComponent < $1.lastPathComponent }
    #expect(files.count == 24)

    var passedGroups = 0
    var refusedGroups = 0
    var skippedGroups = 0
    var passedTests = 0
    for file in files {
      guard case .array(let groups) = try JSONSchemaFixtures.load(file) else {
        Issue.record("\(file.lastPathComponent) is not an array of groups")
        continue
      }
      for group in groups {
        let description = group["description"]?.stringValue ?? "?"
        let name = "\(file.lastPathComponent): \(description)"
        if Self.skipped[name] != nil {
          skippedGroups += 1
          continue
        }
        let schemaJSON = try #require(group["schema"])
        let supported = SupportScan.isSupported(schemaJSON)
        let schema: JSONSchema
        do {
          schema = try JSONSchema(schemaJSON)
        } catch {
          #expect(!supported, "\(name): refused although supported: \(error)")
          if !supported {
            refusedGroups += 1
            if ProcessInfo.processInfo.environment["JSONSCHEMA_SUITE_VERBOSE"] != nil {
              print("refused: \(name): \(error)")
            }
          }
          continue
        }
        guard supported else {
          Issue.record("\(name): accepted although it uses an unsupported feature")
          continue
        }
        var groupPassed = true
        for test in group["tests"]?.arrayValue ?? [] {
          let data = try #require(test["data"])
          let expected = try #require(test["valid"]?.boolValue as Bool?)
          let violations = schema.validate(data)
          let testName = test["description"]?.stringValue ?? "?"
          if violations.isEmpty != expected || schema.isValid(data) != expected {
            groupPassed = false
            Issue.record(
              "\(name) / \(testName): expected \(expected ? "valid" : "invalid"), got \(violations)"
            )
          } else {
            passedTests += 1
          }
        }
        if groupPassed { passedGroups += 1 }
      }
    }
    print(
      "JSON Schema Test Suite: \(passedGroups) groups passed (\(passedTests) tests), "
        + "\(refusedGroups) refused as unsupported, \(skippedGroups) skipped")
    // The suite files are committed: any change in these counts deserves a look.
    #expect(passedGroups == 135)
    #expect(refusedGroups == 41)
  }
}

/// An independent, deliberately simple reading of "uses only supported keywords": walks the
/// schema through the keywords that hold subschemas and looks at every key.
private enum SupportScan {
  static let annotations: Set<String> = [
    "$schema", "$comment", "title", "description", "examples", "default",
  ]
  static let assertions: Set<String> = [
    "type", "required", "enum", "const", "minLength", "maxLength", "pattern", "minimum",
    "maximum", "exclusiveMinimum", "exclusiveMaximum", "minItems", "maxItems", "uniqueItems",
  ]
  static let single: Set<String> = ["additionalProperties", "items", "not"]
  static let lists: Set<String> = ["allOf", "anyOf", "oneOf"]
  static let maps: Set<String> = ["properties", "$defs"]

  static func isSupported(_ schema: JSONValue) -> Bool {
    switch schema {
    case .bool: return true
    case .object(let object):
      for (key, value) in object {
        switch key {
        case _ where annotations.contains(key) || assertions.contains(key):
          if key == "$schema",
            value.stringValue != "https://json-schema.org/draft/2020-12/schema"
          {
            return false
          }
        case "$ref":
          guard value.stringValue?.hasPrefix("#/") == true || value.stringValue == "#" else {
            return false
          }
        case _ where single.contains(key):
          if value.arrayValue != nil || !isSupported(value) { return false }
        case _ where lists.contains(key):
          guard let elements = value.arrayValue, elements.allSatisfy(isSupported) else {
            return false
          }
        case _ where maps.contains(key):
          guard let members = value.objectValue, members.values.allSatisfy(isSupported) else {
            return false
          }
        default:
          return false
        }
      }
      return true
    default:
      return false
    }
  }
}
