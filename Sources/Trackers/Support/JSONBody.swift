import Foundation

/// A JSON request body built without `Any`, encoded with sorted keys for stable requests.
enum JSONBody: Sendable, Encodable {
  case string(String)
  case int(Int)
  case array([JSONBody])
  case object([String: JSONBody])

  func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .string(let value): try container.encode(value)
    case .int(let value): try container.encode(value)
    case .array(let value): try container.encode(value)
    case .object(let value): try container.encode(value)
    }
  }

  func encoded() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(self)
  }
}
