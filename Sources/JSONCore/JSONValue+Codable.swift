/// Lets `JSONValue` travel inside `Codable` types (request bodies, database columns).
///
/// Decoding goes through the decoder's keyed container, whose key order is the decoder's own
/// (Foundation's `JSONDecoder` does not promise document order). Where order matters, parse the
/// raw text with ``JSONValue/init(parsing:)-(String)`` instead.
extension JSONValue: Codable {
  private struct MemberKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  public init(from decoder: any Decoder) throws {
    if let keyed = try? decoder.container(keyedBy: MemberKey.self) {
      var object = JSONObject()
      for key in keyed.allKeys {
        object[key.stringValue] = try keyed.decode(JSONValue.self, forKey: key)
      }
      self = .object(object)
      return
    }
    if var unkeyed = try? decoder.unkeyedContainer() {
      var array: [JSONValue] = []
      if let count = unkeyed.count { array.reserveCapacity(count) }
      while !unkeyed.isAtEnd { array.append(try unkeyed.decode(JSONValue.self)) }
      self = .array(array)
      return
    }
    let single = try decoder.singleValueContainer()
    if single.decodeNil() {
      self = .null
    } else if let bool = try? single.decode(Bool.self) {
      self = .bool(bool)
    } else if let number = try? single.decode(Double.self) {
      self = .number(number)
    } else if let string = try? single.decode(String.self) {
      self = .string(string)
    } else {
      throw DecodingError.dataCorruptedError(
        in: single, debugDescription: "Expected a JSON value")
    }
  }

  public func encode(to encoder: any Encoder) throws {
    switch self {
    case .null:
      var single = encoder.singleValueContainer()
      try single.encodeNil()
    case .bool(let bool):
      var single = encoder.singleValueContainer()
      try single.encode(bool)
    case .number(let number):
      var single = encoder.singleValueContainer()
      if number.rounded(.towardZero) == number, let int = Int64(exactly: number) {
        try single.encode(int)  // "3", not "3.0"
      } else {
        try single.encode(number)
      }
    case .string(let string):
      var single = encoder.singleValueContainer()
      try single.encode(string)
    case .array(let array):
      var unkeyed = encoder.unkeyedContainer()
      for element in array { try unkeyed.encode(element) }
    case .object(let object):
      var keyed = encoder.container(keyedBy: MemberKey.self)
      for (key, value) in object { try keyed.encode(value, forKey: MemberKey(stringValue: key)) }
    }
  }
}
