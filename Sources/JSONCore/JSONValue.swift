/// A JSON value: the data a template renders and a schema validates.
///
/// Equality is JSON equality: numbers compare by value (`1 == 1.0`), objects ignore key order,
/// and booleans never equal numbers. Objects still keep their keys in insertion order for
/// iteration and serialisation (see ``JSONObject``).
///
/// The enum is not `indirect`: arrays and objects already store their elements out of line, so
/// scalars stay unboxed, which keeps rendering fast.
public enum JSONValue: Sendable, Hashable {
  /// JSON `null`.
  case null
  /// `true` or `false`.
  case bool(Bool)
  /// Any JSON number, as a double (integers are exact up to 2^53).
  case number(Double)
  /// A string.
  case string(String)
  /// An array.
  case array([JSONValue])
  /// An object whose keys keep their insertion order.
  case object(JSONObject)
}

// MARK: - Accessors

extension JSONValue {
  /// The string, if this is a string.
  public var stringValue: String? {
    if case .string(let value) = self { return value }
    return nil
  }

  /// The number, if this is a number.
  public var numberValue: Double? {
    if case .number(let value) = self { return value }
    return nil
  }

  /// Alias of ``numberValue``.
  public var doubleValue: Double? { numberValue }

  /// The number as an `Int`, if this is a number with no fractional part that fits an `Int`.
  public var intValue: Int? {
    guard case .number(let value) = self, value.rounded(.towardZero) == value,
      let int = Int(exactly: value)
    else { return nil }
    return int
  }

  /// The boolean, if this is a boolean.
  public var boolValue: Bool? {
    if case .bool(let value) = self { return value }
    return nil
  }

  /// The elements, if this is an array.
  public var arrayValue: [JSONValue]? {
    if case .array(let value) = self { return value }
    return nil
  }

  /// The object, if this is an object.
  public var objectValue: JSONObject? {
    if case .object(let value) = self { return value }
    return nil
  }

  /// Whether this is `null`.
  public var isNull: Bool { self == .null }

  /// Whether this is a number with no fractional part (JSON Schema's `integer`).
  public var isInteger: Bool {
    guard case .number(let value) = self else { return false }
    return value.isFinite && value.rounded(.towardZero) == value
  }

  /// The JSON type name: `null`, `boolean`, `number`, `string`, `array` or `object`.
  public var typeName: String {
    switch self {
    case .null: "null"
    case .bool: "boolean"
    case .number: "number"
    case .string: "string"
    case .array: "array"
    case .object: "object"
    }
  }

  /// The member named `key`, if this is an object that has it; `nil` otherwise.
  public subscript(_ key: String) -> JSONValue? {
    guard case .object(let object) = self else { return nil }
    return object[key]
  }

  /// The member named `key` (same as `self["key"]`, spelled `self[key: "key"]`).
  public subscript(key key: String) -> JSONValue? {
    self[key]
  }

  /// The element at `index`, if this is an array and the index is in range; `nil` otherwise.
  public subscript(_ index: Int) -> JSONValue? {
    guard case .array(let array) = self, array.indices.contains(index) else { return nil }
    return array[index]
  }
}

// MARK: - Equality and hashing

extension JSONValue {
  public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): true
    case (.bool(let a), .bool(let b)): a == b
    case (.number(let a), .number(let b)): a == b
    case (.string(let a), .string(let b)): a.utf8.elementsEqual(b.utf8)
    case (.array(let a), .array(let b)): a == b
    case (.object(let a), .object(let b)): a == b
    default: false
    }
  }

  public func hash(into hasher: inout Hasher) {
    switch self {
    case .null:
      hasher.combine(0)
    case .bool(let value):
      hasher.combine(1)
      hasher.combine(value)
    case .number(let value):
      hasher.combine(2)
      hasher.combine(value)
    case .string(let value):
      hasher.combine(3)
      // Equality is by code points (JSON Schema), stricter than `String.==`, so the string's own
      // hash (equal for canonically equivalent strings) stays consistent with it.
      hasher.combine(value)
    case .array(let value):
      hasher.combine(4)
      hasher.combine(value)
    case .object(let value):
      hasher.combine(5)
      hasher.combine(value)
    }
  }
}

// MARK: - Literals

extension JSONValue: ExpressibleByNilLiteral {
  public init(nilLiteral: ()) { self = .null }
}

extension JSONValue: ExpressibleByBooleanLiteral {
  public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension JSONValue: ExpressibleByIntegerLiteral {
  public init(integerLiteral value: Int) { self = .number(Double(value)) }
}

extension JSONValue: ExpressibleByFloatLiteral {
  public init(floatLiteral value: Double) { self = .number(value) }
}

extension JSONValue: ExpressibleByStringLiteral {
  public init(stringLiteral value: String) { self = .string(value) }
}

extension JSONValue: ExpressibleByArrayLiteral {
  public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
  public init(dictionaryLiteral elements: (String, JSONValue)...) {
    self = .object(JSONObject(elements))
  }
}

extension JSONValue {
  /// The value, or nil for JSON `null`. (A closure `{ $0.isNull ? nil : $0 }` does not do this:
  /// `JSONValue` is `ExpressibleByNilLiteral`, so that `nil` is `.null` itself.)
  public var nonNull: JSONValue? {
    if case .null = self { return Optional.none }
    return self
  }
}
