// The mappers and the ADF converter read tracker payloads as JSONCore's values.
@_exported import JSONCore

extension JSONValue {
  /// The string, or `nil`.
  var string: String? { stringValue }
  /// The number, or `nil`.
  var number: Double? { numberValue }
  /// The Boolean, or `nil`.
  var bool: Bool? { boolValue }
  /// The elements of an array, or `nil`.
  var array: [JSONValue]? { arrayValue }
  /// The members of an object, or `nil`.
  var object: JSONObject? { objectValue }

  /// A string or an integral number as text (ids arrive as either).
  public var idString: String? {
    switch self {
    case .string(let value): return value
    case .number(let value) where value.rounded() == value && abs(value) < 9e15:
      return String(Int64(value))
    default: return nil
    }
  }

  /// A string, or nil when empty or not a string.
  var nonEmptyString: String? {
    guard let value = stringValue, !value.isEmpty else { return nil }
    return value
  }
}
