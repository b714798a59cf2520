import Templating
import Testing

@Suite("JSONSchema refusals")
struct SchemaErrorTests {
  private func refusal(_ schema: JSONValue) -> SchemaError? {
    #expect(throws: SchemaError.self) { try JSONSchema(schema) }
  }

  @Test(
    "refuses what it does not support, naming the place",
    arguments: [
      (["format": "email"], "/format", "unsupported keyword \"format\""),
      (
        ["properties": ["a": ["patternProperties": [:]]]], "/properties/a/patternProperties",
        "unsupported keyword \"patternProperties\""
      ),
      (["$id": "http://x"], "/$id", "unsupported keyword \"$id\""),
      (["prefixItems": [true]], "/prefixItems", "unsupported keyword \"prefixItems\""),
      (
        ["$schema": "http://json-schema.org/draft-07/schema#"], "/$schema",
        "unsupported $schema \"http://json-schema.org/draft-07/schema#\": only "
          + "https://json-schema.org/draft/2020-12/schema is supported"
      ),
      (
        ["$ref": "other.json#/a"], "/$ref",
        "unsupported $ref \"other.json#/a\": only local references (#/...) are supported"
      ),
      (
        ["$ref": "#anchor"], "/$ref",
        "unsupported $ref \"#anchor\": the fragment must be a JSON Pointer "
          + "($anchor is not supported)"
      ),
      (
        ["$ref": "#/$defs/missing"], "/$ref",
        "$ref \"#/$defs/missing\" points to nothing in this schema"
      ),
      (
        ["$defs": ["n": 3], "$ref": "#/$defs/n"], "/$defs/n",
        "a schema must be an object or a boolean, got number"
      ),
      (
        ["$ref": "#/required/0", "required": ["a"]], "/$ref",
        "$ref \"#/required/0\" points to a string, not a schema"
      ),
      (
        ["type": "text"], "/type",
        "unknown type \"text\" (expected null, boolean, integer, number, string, array or object)"
      ),
      (["type": []], "/type", "type must be a type name or a non-empty array of type names"),
      (["type": ["string", "string"]], "/type", "type lists \"string\" twice"),
      (["required": "a"], "/required", "required must be an array of strings"),
      (["required": [1]], "/required", "required must hold only strings"),
      (["minLength": -1], "/minLength", "must be a non-negative integer"),
      (["maxItems": 1.5], "/maxItems", "must be a non-negative integer"),
      (["minimum": "0"], "/minimum", "must be a number"),
      (["uniqueItems": 1], "/uniqueItems", "uniqueItems must be a boolean"),
      (["allOf": []], "/allOf", "allOf must be a non-empty array of schemas"),
      (["anyOf": [1]], "/anyOf/0", "a schema must be an object or a boolean, got number"),
      (["properties": []], "/properties", "properties must be an object of schemas"),
      (["enum": "a"], "/enum", "enum must be an array"),
      (["title": 1], "/title", "title must be a string"),
      (["examples": 1], "/examples", "examples must be an array"),
      (
        ["items": [true]], "/items",
        "items must be a schema (the array form is prefixItems, which is not supported)"
      ),
      (
        ["pattern": "(unclosed"], "/pattern",
        "invalid regular expression \"(unclosed\": missing \")\""
      ),
      (
        ["$ref": "#"], "",
        "circular $ref: this schema applies itself to the same value without descending into it "
          + "(validation would never end)"
      ),
      (
        [
          "$defs": ["a": ["anyOf": [["type": "string"], ["$ref": "#/$defs/a"]]]],
          "$ref": "#/$defs/a",
        ],
        "/$defs/a/anyOf/1",
        "circular $ref: this schema applies itself to the same value without descending into it "
          + "(validation would never end)"
      ),
      ("a", "", "a schema must be an object or a boolean, got string"),
    ] as [(JSONValue, String, String)])
  func refuses(schema: JSONValue, pointer: String, message: String) {
    let error = refusal(schema)
    #expect(error?.pointer == pointer)
    #expect(error?.message == message)
  }

  @Test("keyword names inside enum, const, default and examples are data, not keywords")
  func dataIsNotSchema() throws {
    let schema = try JSONSchema([
      "enum": [["format": "x", "$ref": "nowhere"]], "const": ["$id": 1],
      "default": ["if": true], "examples": [["then": 1]],
    ])
    #expect(schema.validate(["format": "x", "$ref": "nowhere"]).count == 1)  // const differs
  }

  @Test("accepts the 2020-12 $schema, with or without the trailing #, and boolean schemas")
  func accepts() throws {
    _ = try JSONSchema(["$schema": "https://json-schema.org/draft/2020-12/schema"])
    _ = try JSONSchema(["$schema": "https://json-schema.org/draft/2020-12/schema#"])
    #expect(try JSONSchema(true).validate(["anything": 1]).isEmpty)
    #expect(
      try JSONSchema(false).validate(nil) == [
        SchemaViolation(pointer: "", reason: "not allowed here (the schema is false)")
      ])
  }

  @Test("recursion through properties and items is allowed")
  func recursion() throws {
    let schema = try JSONSchema([
      "$defs": ["list": ["type": "array", "items": ["$ref": "#/$defs/list"]]],
      "properties": ["self": ["$ref": "#"], "list": ["$ref": "#/$defs/list"]],
    ])
    #expect(schema.validate(["self": ["self": ["list": [[[]], []]]]]).isEmpty)
    #expect(schema.validate(["self": ["list": [[1]]]]).map(\.pointer) == ["/self/list/0/0"])
  }

  @Test("parsing a schema from text turns JSON syntax errors into schema errors")
  func parsing() throws {
    let error = #expect(throws: SchemaError.self) { try JSONSchema(parsing: "{\"type\": }") }
    #expect(error?.pointer == "")
    #expect(
      error?.message
        == "invalid JSON: line 1, column 10: unexpected character '}': expected a value")
    #expect(try JSONSchema(parsing: #"{"type": "string"}"#).isValid("x"))
  }

  @Test("description names the place")
  func description() {
    #expect(
      SchemaError(pointer: "/format", message: "unsupported keyword \"format\"").description
        == "unsupported keyword \"format\" at /format")
    #expect(SchemaError(pointer: "", message: "bad").description == "bad")
  }
}
