import Templating
import Testing

@Suite("JSONSchema navigation for the linter")
struct SchemaNavigationTests {
  static let schema: JSONValue = [
    "$defs": [
      "person": [
        "type": "object",
        "properties": ["name": ["type": "string"], "email": ["type": "string"]],
        "additionalProperties": false,
      ]
    ],
    "type": "object",
    "properties": [
      "reviewers": ["type": "array", "items": ["$ref": "#/$defs/person"]],
      "owner": ["$ref": "#/$defs/person", "description": "Who owns it"],
      "extra": ["title": "Extra", "default": 5],
    ],
    "allOf": [["properties": ["mode": ["enum": ["a", "b"]]]]],
    "anyOf": [
      ["properties": ["style": ["properties": ["tone": true]]]],
      ["properties": ["style": ["properties": ["length": true]]], "required": ["style"]],
    ],
  ]

  @Test("declared names follow $ref and allOf and take the union of anyOf branches")
  func declaredNames() throws {
    let schema = try JSONSchema(Self.schema)
    #expect(schema.declaredPropertyNames == ["reviewers", "owner", "extra", "mode", "style"])
    #expect(schema.allowsAdditionalProperties)
    #expect(schema.declaredTypes == ["object"])
  }

  @Test("property and items schemas lead into nested declarations")
  func propertyAndItems() throws {
    // setup
    let schema = try JSONSchema(Self.schema)
    // act
    let reviewers = try #require(schema.propertySchema("reviewers"))
    let reviewer = try #require(reviewers.itemsSchema)
    let owner = try #require(schema.propertySchema("owner"))
    let style = try #require(schema.propertySchema("style"))
    // check
    #expect(reviewers.declaredTypes == ["array"])
    #expect(reviewer.declaredPropertyNames == ["name", "email"])
    #expect(!reviewer.allowsAdditionalProperties)
    #expect(owner.declaredPropertyNames == ["name", "email"])
    #expect(owner.descriptionText == "Who owns it")
    #expect(!owner.allowsAdditionalProperties)
    #expect(owner.propertySchema("name")?.declaredTypes == ["string"])
    #expect(owner.propertySchema("phone") == nil)
    #expect(style.declaredPropertyNames == ["tone", "length"])
    #expect(schema.propertySchema("mode")?.isUnconstrained == false)
    #expect(schema.propertySchema("extra")?.title == "Extra")
    #expect(schema.propertySchema("extra")?.defaultValue == 5)
    #expect(schema.propertySchema("extra")?.isUnconstrained == true)
    #expect(schema.propertySchema("missing") == nil)
    #expect(schema.itemsSchema == nil)
    #expect(reviewer.location == "/properties/reviewers/items")
  }

  @Test("navigated schemas validate their part of the instance")
  func navigatedValidation() throws {
    let schema = try JSONSchema(Self.schema)
    let owner = try #require(schema.propertySchema("owner"))
    #expect(
      owner.validate(["name": 1]).map(\.description) == ["/name: must be a string, got number"])
  }

  @Test("additionalProperties: schema, false, booleans and branches")
  func additionalProperties() throws {
    let map = try JSONSchema(["additionalProperties": ["properties": ["n": true]]])
    #expect(map.allowsAdditionalProperties)
    #expect(map.additionalPropertiesSchema?.declaredPropertyNames == ["n"])
    #expect(try !JSONSchema(false).allowsAdditionalProperties)
    #expect(try JSONSchema(true).allowsAdditionalProperties)
    let closedBranches = try JSONSchema([
      "oneOf": [["additionalProperties": false], ["$ref": "#/$defs/closed"]],
      "$defs": ["closed": ["additionalProperties": false]],
    ])
    #expect(!closedBranches.allowsAdditionalProperties)
    let oneOpen = try JSONSchema(["anyOf": [["additionalProperties": false], true]])
    #expect(oneOpen.allowsAdditionalProperties)
    #expect(try JSONSchema(["additionalProperties": false]).additionalPropertiesSchema == nil)
  }

  @Test("recursive schemas navigate without looping")
  func recursive() throws {
    let schema = try JSONSchema([
      "properties": ["child": ["$ref": "#"], "name": true],
      "allOf": [["$ref": "#/$defs/more"]],
      "$defs": [
        "more": ["allOf": [["$ref": "#/$defs/more2"]]], "more2": ["properties": ["x": true]],
      ],
    ])
    let grandchild = schema.propertySchema("child")?.propertySchema("child")
    #expect(grandchild?.declaredPropertyNames == ["child", "name", "x"])
  }
}
