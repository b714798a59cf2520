import Templating
import Testing

@Suite("JSONSchema violation messages")
struct ViolationMessageTests {
  @Test(
    "reasons are short and specific",
    arguments: [
      (["type": "string"], 1, "must be a string, got number"),
      (["type": "integer"], 1.5, "must be an integer, got number"),
      (["type": "object"], [], "must be an object, got array"),
      (["type": ["string", "null"]], true, "must be a string or null, got boolean"),
      (
        ["type": ["string", "integer", "array"]], nil,
        "must be a string, an integer or an array, got null"
      ),
      (["enum": ["a", "b", 1]], "c", #"must be one of "a", "b", 1"#),
      (["enum": ["only"]], "c", #"must be "only""#),
      (["enum": []], "c", "no value is allowed (enum is empty)"),
      (["const": ["a": [1]]], 1, #"must be {"a":[1]}"#),
      (["minLength": 3], "ab", "must be at least 3 characters"),
      (["minLength": 1], "", "must be at least 1 character"),
      (["maxLength": 10], "hello world", "must be at most 10 characters"),
      (["pattern": "^[a-z]+$"], "A", #"must match pattern "^[a-z]+$""#),
      (["minimum": 1.5], 1, "must be >= 1.5"),
      (["maximum": 10], 11, "must be <= 10"),
      (["exclusiveMinimum": 0], 0, "must be > 0"),
      (["exclusiveMaximum": 1e21], 1e22, "must be < 1e+21"),
      (["minItems": 2], [1], "must have at least 2 items"),
      (["maxItems": 1], [1, 2], "must have at most 1 item"),
      (["uniqueItems": true], [1, 2, 1.0], "items must be unique (items 0 and 2 are equal)"),
      (["items": false], [1, 2], "must be empty (items is false), got 2 items"),
      (["required": ["x"]], [:], #"missing required property "x""#),
      (["additionalProperties": false], ["x\"y": 1], #"unexpected property "x\"y""#),
      (
        ["anyOf": [["type": "string"], ["type": "null"]]], 1, "must be a string or null, got number"
      ),
      (
        ["anyOf": [["type": "string", "minLength": 2], ["type": "null"]]], "a",
        #"must match at least one of the 2 schemas in "anyOf""#
      ),
      (
        ["oneOf": [["type": "string"], ["type": "null"]]], 1,
        #"must match exactly one of the 2 schemas in "oneOf", matched none"#
      ),
      (
        ["oneOf": [["type": "number"], ["type": "integer"], true]], 1,
        #"must match exactly one of the 3 schemas in "oneOf", matched 3 (0, 1, 2)"#
      ),
      (["not": ["type": "string"]], "x", #"must not match the schema in "not""#),
      (false, 1, "not allowed here (the schema is false)"),
    ] as [(JSONValue, JSONValue, String)])
  func reasons(schema: JSONValue, instance: JSONValue, reason: String) throws {
    let violations = try JSONSchema(schema).validate(instance)
    #expect(violations.map(\.pointer) == [""] && violations.map(\.reason) == [reason])
  }

  @Test("every violation is reported with its pointer, once")
  func allViolations() throws {
    // setup
    let schema = try JSONSchema([
      "type": "object",
      "properties": [
        "name": ["type": "string", "maxLength": 3],
        "tags": ["items": ["type": "string"]],
        "a/b": ["type": "integer"],
        "id": [:],
      ],
      "required": ["name", "id"],
      "additionalProperties": false,
      "allOf": [["required": ["id"]]],
    ])
    // act
    let violations = schema.validate([
      "name": "long name", "tags": ["x", 2, nil], "a/b": "1", "z": 0,
    ])
    // check
    #expect(
      violations.map(\.description) == [
        #"/: missing required property "id""#,
        "/name: must be at most 3 characters",
        "/tags/1: must be a string, got number",
        "/tags/2: must be a string, got null",
        "/a~1b: must be an integer, got string",
        #"/: unexpected property "z""#,
      ])
    #expect(!schema.isValid(["name": "x"]))
    #expect(schema.isValid(["name": "x", "id": 1]))
  }

  @Test("long enum lists and long constants are cut")
  func longValues() throws {
    let many = try JSONSchema(["enum": .array((1...12).map { .number(Double($0)) })])
    #expect(many.validate(0).first?.reason == "must be one of 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, …")
    let long = try JSONSchema(["const": .string(String(repeating: "x", count: 100))])
    #expect(long.validate(0).first?.reason.hasSuffix("xxx…") == true)
  }
}

/// Callers tell violations apart by kind, never by their wording.
@Suite struct ViolationKindTests {
  @Test(arguments: [
    (#"{"type":"string"}"#, "1", SchemaViolation.Kind.wrongType),
    (#"{"anyOf":[{"type":"string"},{"type":"null"}]}"#, "1", .wrongType),
    (#"{"required":["x"]}"#, "{}", .missingProperty("x")),
    (#"{"additionalProperties":false}"#, #"{"y":1}"#, .unexpectedProperty("y")),
    (#"{"maxLength":1}"#, #""ab""#, .rule),
    (#"{"minItems":3}"#, "[1,2]", .rule),
  ])
  func eachViolationSaysWhatKindItIs(schema: String, instance: String, kind: SchemaViolation.Kind)
    throws
  {
    let violations = try JSONSchema(JSONValue(parsing: schema)).validate(
      JSONValue(parsing: instance))
    #expect(violations.map(\.kind) == [kind], "\(violations)")
  }
}
