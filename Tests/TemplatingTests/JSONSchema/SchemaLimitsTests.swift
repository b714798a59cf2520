import Testing

@testable import Templating

/// `{"not": {"not": … {"type": "string"}}}`, `depth` levels of `not`.
private func nestedNots(_ depth: Int) -> JSONValue {
  var schema: JSONValue = ["type": "string"]
  for _ in 0..<depth { schema = ["not": schema] }
  return schema
}

/// `$defs` `a0`…`a<length>`, each link applying the next one (twice when `branching`).
private func chain(_ length: Int, branching: Bool = false) -> JSONValue {
  var defs = JSONObject()
  for link in 0..<length {
    let next: JSONValue = ["$ref": .string("#/$defs/a\(link + 1)")]
    defs["a\(link)"] = branching ? ["anyOf": [next, next]] : next
  }
  defs["a\(length)"] = ["type": "string"]
  return ["$defs": .object(defs), "$ref": "#/$defs/a0"]
}

/// `{"a": {"a": … {}}}`, `depth` levels.
private func nestedObject(_ depth: Int) -> JSONValue {
  var value: JSONValue = [:]
  for _ in 0..<depth { value = ["a": value] }
  return value
}

@Suite("JSONSchema limits")
struct SchemaLimitsTests {
  @Test func subschemasNestAtMost128Deep() throws {
    #expect(try JSONSchema(nestedNots(127)).isValid(1))
    let error = #expect(throws: SchemaError.self) { try JSONSchema(nestedNots(128)) }
    #expect(
      error?.message
        == "subschemas nest more than 128 levels deep, which Promptsmith does not support")
    #expect(error?.pointer == String(repeating: "/not", count: 128))
  }

  @Test func inPlaceChainsAreBounded() throws {
    // A long chain of $ref made validation recurse once per link, past the stack.
    #expect(try JSONSchema(chain(100)).isValid("x"))
    let error = #expect(throws: SchemaError.self) { try JSONSchema(chain(5_000)) }
    #expect(
      error?.message
        == "$ref, allOf, anyOf, oneOf and not chain more than 128 subschemas on one value, "
        + "which Promptsmith does not support")
  }

  @Test func exponentialBranchingIsRefused() throws {
    // Each link's anyOf applies the next link twice: 2^40 evaluations.
    #expect(try JSONSchema(chain(5, branching: true)).isValid("x"))
    let error = #expect(throws: SchemaError.self) { try JSONSchema(chain(40, branching: true)) }
    #expect(
      error?.message
        == "$ref, allOf, anyOf, oneOf and not apply more than 10000 subschemas to one value, "
        + "which Promptsmith does not support")
  }

  @Test func deepInstancesAreReportedNotCrashedOn() throws {
    let schema = try JSONSchema(["type": "object", "properties": ["a": ["$ref": "#"]]])
    #expect(schema.validate(nestedObject(150)).isEmpty)
    let deep = nestedObject(500)
    #expect(
      schema.validate(deep) == [
        SchemaViolation(
          pointer: "",
          reason: "cannot be checked: the value and the schema nest more than 400 levels deep")
      ])
    #expect(!schema.isValid(deep))
    #expect(schema.applyingDefaults(to: deep) == deep)
  }

  @Test func branchingAtEveryLevelRunsOutOfSteps() throws {
    // Both allOf branches descend into the same member and apply the root again: the work
    // doubles at each level of the instance, which compilation cannot see.
    let branch: JSONValue = ["properties": ["a": ["$ref": "#"]]]
    let schema = try JSONSchema(["allOf": [branch, branch]])
    let counted = schema.validate(nestedObject(60), budget: EvaluationBudget(maxSteps: 100_000))
    #expect(
      counted == [
        SchemaViolation(
          pointer: "",
          reason: "cannot be checked: the schema needs more than 100000 steps for this value")
      ])
    #expect(schema.validate(nestedObject(8)).isEmpty)
    let slow = schema.validate(nestedObject(60), budget: EvaluationBudget(maxDuration: .zero))
    #expect(
      slow == [
        SchemaViolation(
          pointer: "", reason: "cannot be checked: the schema takes longer than 0 ms for this value"
        )
      ])
    // With the default budgets it ends too (2^60 evaluations otherwise), in about a second.
    let violations = schema.validate(nestedObject(60))
    #expect(violations.count == 1)
    #expect(violations.first?.reason.hasPrefix("cannot be checked: the schema") == true)
    #expect(!schema.isValid(nestedObject(60)))
    #expect(schema.applyingDefaults(to: nestedObject(60)) == nestedObject(60))
  }

  @Test func longEnumsAreLookedUpNotScanned() throws {
    let values = (0..<100_000).map { JSONValue.string("v\($0)") } + [1.0]
    let schema = try JSONSchema(["items": ["enum": .array(values)]])
    let instance = JSONValue.array(
      (0..<20_000).map { .string("v\($0 * 5)") } + [1, .string("nope")])
    #expect(schema.validate(instance).map(\.pointer) == ["/20001"])
  }
}
