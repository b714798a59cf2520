import Templating
import Testing

@Suite("JSONSchema applyingDefaults")
struct SchemaDefaultsTests {
  @Test("fills missing members, nested objects included, in schema order")
  func nested() throws {
    // setup
    let schema = try JSONSchema([
      "type": "object",
      "properties": [
        "tone": ["type": "string", "default": "formal"],
        "limits": [
          "type": "object",
          "properties": ["words": ["default": 200], "bullets": ["default": true]],
        ],
        "audience": ["type": "string"],
      ],
    ])
    // act
    let result = schema.applyingDefaults(to: ["limits": ["bullets": false], "extra": 1])
    // check
    #expect(result == ["limits": ["bullets": false, "words": 200], "extra": 1, "tone": "formal"])
    #expect(result.objectValue?.keys == ["limits", "extra", "tone"])
    #expect(result["limits"]?.objectValue?.keys == ["bullets", "words"])
  }

  @Test("never overrides a given value, null included")
  func keepsGivenValues() throws {
    let schema = try JSONSchema(["properties": ["a": ["default": 1], "b": ["default": 2]]])
    #expect(schema.applyingDefaults(to: ["a": nil, "b": "given"]) == ["a": nil, "b": "given"])
  }

  @Test("a defaulted object gets its own members' defaults; no object is invented")
  func defaultedObjects() throws {
    let schema = try JSONSchema([
      "properties": [
        "style": ["default": [:], "properties": ["tone": ["default": "calm"]]],
        "other": ["properties": ["x": ["default": 1]]],
      ]
    ])
    #expect(schema.applyingDefaults(to: [:]) == ["style": ["tone": "calm"]])
  }

  @Test("defaults inside $ref'd schemas and allOf parts")
  func throughReferences() throws {
    // setup
    let schema = try JSONSchema([
      "$defs": [
        "options": [
          "type": "object",
          "properties": ["level": ["$ref": "#/$defs/level"], "mode": ["default": "fast"]],
        ],
        "level": ["type": "integer", "default": 3],
      ],
      "properties": ["options": ["$ref": "#/$defs/options"]],
      "allOf": [["properties": ["lang": ["default": "en"]]]],
    ])
    // act
    let result = schema.applyingDefaults(to: ["options": [:]])
    // check
    #expect(result == ["options": ["level": 3, "mode": "fast"], "lang": "en"])
  }

  @Test("the first default found wins")
  func precedence() throws {
    let schema = try JSONSchema([
      "properties": ["a": ["default": "own", "$ref": "#/$defs/a"]],
      "$defs": ["a": ["default": "ref"]],
      "allOf": [["properties": ["a": ["default": "allOf"], "b": ["$ref": "#/$defs/a"]]]],
    ])
    #expect(schema.applyingDefaults(to: [:]) == ["a": "own", "b": "ref"])
  }

  @Test("array items, additionalProperties and recursive schemas")
  func itemsAndRecursion() throws {
    let schema = try JSONSchema([
      "properties": [
        "steps": ["items": ["properties": ["done": ["default": false]]]],
        "node": ["$ref": "#/$defs/node"],
      ],
      "additionalProperties": ["properties": ["weight": ["default": 1]]],
      "$defs": [
        "node": ["properties": ["label": ["default": "?"], "next": ["$ref": "#/$defs/node"]]]
      ],
    ])
    let result = schema.applyingDefaults(to: [
      "steps": [["done": true], [:]],
      "node": ["next": ["next": [:]]],
      "custom": [:],
    ])
    #expect(
      result == [
        "steps": [["done": true], ["done": false]],
        "node": ["next": ["next": ["label": "?"], "label": "?"], "label": "?"],
        "custom": ["weight": 1],
      ])
  }

  @Test("oneOf defaults apply from the single matching branch only")
  func oneOfBranch() throws {
    let schema = try JSONSchema([
      "oneOf": [
        [
          "properties": ["kind": ["const": "a"], "x": ["default": "a-default"]],
          "required": ["kind"],
        ],
        [
          "properties": ["kind": ["const": "b"], "y": ["default": "b-default"]],
          "required": ["kind"],
        ],
      ]
    ])
    #expect(schema.applyingDefaults(to: ["kind": "b"]) == ["kind": "b", "y": "b-default"])
    #expect(schema.applyingDefaults(to: ["kind": "c"]) == ["kind": "c"])
  }

  @Test("non-object instances and schemas without defaults are returned unchanged")
  func unchanged() throws {
    let schema = try JSONSchema(["properties": ["a": ["default": 1]]])
    #expect(schema.applyingDefaults(to: "text") == "text")
    #expect(try JSONSchema(true).applyingDefaults(to: ["x": 1]) == ["x": 1])
  }

  @Test("defaults then validation, as generation does")
  func defaultsThenValidation() throws {
    let schema = try JSONSchema([
      "properties": ["tone": ["enum": ["formal", "casual"], "default": "formal"]],
      "required": ["tone"],
    ])
    let (value, violations) = schema.applyingDefaultsAndValidating([:])
    #expect(value == ["tone": "formal"])
    #expect(violations.isEmpty)
    #expect(!schema.validate([:]).isEmpty)
  }
}
