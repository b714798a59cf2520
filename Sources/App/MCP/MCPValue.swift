import Foundation
import MCP
import Templating

/// MCP's `Value` and our `JSONValue` are both plain JSON; converting through the JSON text keeps
/// the two models' number and key-order rules in one place each.
enum MCPValue {
  static func json(_ value: MCP.Value) throws -> JSONValue {
    try JSONValue(parsing: JSONEncoder().encode(value))
  }

  static func mcp(_ value: JSONValue) throws -> MCP.Value {
    try JSONDecoder().decode(MCP.Value.self, from: Data(value.compactJSON.utf8))
  }

  static func mcp(_ encodable: some Encodable) throws -> MCP.Value {
    try JSONDecoder().decode(MCP.Value.self, from: JSONEncoder().encode(encodable))
  }
}
