/// The JSON types a `type` keyword can name.
struct SchemaTypes: OptionSet, Sendable, Hashable {
  let rawValue: UInt8

  static let null = SchemaTypes(rawValue: 1 << 0)
  static let boolean = SchemaTypes(rawValue: 1 << 1)
  static let integer = SchemaTypes(rawValue: 1 << 2)
  static let number = SchemaTypes(rawValue: 1 << 3)
  static let string = SchemaTypes(rawValue: 1 << 4)
  static let array = SchemaTypes(rawValue: 1 << 5)
  static let object = SchemaTypes(rawValue: 1 << 6)

  /// Whether `value` has one of these types (`integer` is a number with no fractional part).
  func admits(_ value: JSONValue) -> Bool {
    switch value {
    case .null: contains(.null)
    case .bool: contains(.boolean)
    case .number: contains(.number) || (contains(.integer) && value.isInteger)
    case .string: contains(.string)
    case .array: contains(.array)
    case .object: contains(.object)
    }
  }
}

extension SchemaTypes {
  /// The set for one type name, or `nil` for an unknown name.
  init?(name: String) {
    switch name {
    case "null": self = .null
    case "boolean": self = .boolean
    case "integer": self = .integer
    case "number": self = .number
    case "string": self = .string
    case "array": self = .array
    case "object": self = .object
    default: return nil
    }
  }
}

/// One compiled schema: its keywords, with subschemas as indexes into the schema's node table.
///
/// A table of nodes (rather than a tree) lets `$ref` point anywhere, recursion included.
struct SchemaNode: Sendable {
  enum Kind: Sendable {
    /// The boolean schema `true`.
    case alwaysTrue
    /// The boolean schema `false`.
    case alwaysFalse
    /// An object schema.
    case keywords
  }

  /// JSON Pointer of this schema inside the schema document.
  var location: String
  var kind: Kind = .keywords

  var ref: Int?
  var types: SchemaTypes?
  /// The names of `type`, in the schema's order, for messages.
  var typeNames: [String] = []

  var enumValues: [JSONValue]?
  /// `enumValues` as a set when there are many: a long `enum` checked against every item of a
  /// long array would otherwise cost their product.
  var enumSet: Set<JSONValue>?
  var constValue: JSONValue?

  var minLength: Int?
  var maxLength: Int?
  var pattern: SchemaPattern?

  var minimum: Double?
  var maximum: Double?
  var exclusiveMinimum: Double?
  var exclusiveMaximum: Double?

  var required: [String] = []
  /// `properties` in the schema's order.
  var propertyNames: [String] = []
  var properties: [String: Int] = [:]
  var additionalProperties: Int?

  var items: Int?
  var minItems: Int?
  var maxItems: Int?
  var uniqueItems = false

  var allOf: [Int] = []
  var anyOf: [Int] = []
  var oneOf: [Int] = []
  var not: Int?

  var defs: [String: Int] = [:]
  var defaultValue: JSONValue?
  var title: String?
  var description: String?

  init(location: String) {
    self.location = location
  }

  /// Subschemas applied to the same instance (not descending into it).
  var inPlaceSubschemas: [Int] {
    var result: [Int] = []
    if let ref { result.append(ref) }
    result += allOf
    result += anyOf
    result += oneOf
    if let not { result.append(not) }
    return result
  }
}
