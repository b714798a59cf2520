import Foundation
import Templating
import Vapor
import Yams

/// The JSON request body schema and the query parameters of each operation in openapi.yaml,
/// compiled once at start, so that a request is checked against the published contract before
/// any handler reads it.
struct RequestSchemas: Sendable {
  struct Operation: Sendable {
    let method: String
    /// The path's segments; nil stands for a `{parameter}`.
    let segments: [String?]
    /// The JSON body's schema, if the operation takes one.
    let body: JSONSchema?
    /// The query parameters, if the operation declares any.
    let query: QueryParameters?
    /// Whether the operation is callable without a user (`security: []`): its body is checked
    /// at once; other bodies only after `RequireRole` admitted the caller, so that an
    /// anonymous or under-privileged client learns nothing about them.
    let isPublic: Bool
  }

  let operations: [Operation]

  /// Webhook payloads belong to the tracker that sends them and are checked after their
  /// signature, by their handler. `/mcp` speaks JSON-RPC: a malformed message gets a JSON-RPC
  /// error, tool arguments are checked against the tools' own schemas, and its body limit is
  /// larger than the API's.
  static let exemptPrefixes = ["/webhooks/", "/mcp"]

  init(yaml: String) throws {
    guard let document = try Yams.load(yaml: yaml) as? [String: Any],
      let paths = document["paths"] as? [String: Any]
    else { throw RequestSchemaError("openapi.yaml has no paths") }
    let components = document["components"] as? [String: Any] ?? [:]
    let defs = try Self.jsonValue(components["schemas"] ?? [String: Any]())
    let sharedParameters = components["parameters"] as? [String: Any] ?? [:]
    var operations: [Operation] = []
    for (path, item) in paths where !Self.exemptPrefixes.contains(where: path.hasPrefix) {
      for (method, operation) in item as? [String: Any] ?? [:] {
        guard let operation = operation as? [String: Any] else { continue }
        let body = try Self.bodySchema(of: operation, defs: defs)
        let query = try QueryParameters(
          declarations: operation["parameters"] as? [Any] ?? [], shared: sharedParameters)
        guard body != nil || query != nil else { continue }
        operations.append(
          Operation(
            method: method.uppercased(),
            segments: path.split(separator: "/").map {
              $0.hasPrefix("{") ? nil : String($0)
            },
            body: body, query: query,
            isPublic: Self.allowsAnonymous(operation["security"])))
      }
    }
    // Paths with more fixed segments first: `/prompts/generate` before `/prompts/{id}`.
    self.operations = operations.sorted {
      $0.segments.compactMap { $0 }.count > $1.segments.compactMap { $0 }.count
    }
  }

  private static func bodySchema(of operation: [String: Any], defs: JSONValue) throws
    -> JSONSchema?
  {
    guard let body = operation["requestBody"] as? [String: Any],
      let content = body["content"] as? [String: Any],
      let json = content["application/json"] as? [String: Any],
      let schema = json["schema"],
      case .object(var root) = try Self.jsonValue(schema)
    else { return nil }
    root["$defs"] = defs
    return try JSONSchema(.object(root))
  }

  /// `security: []`, or a requirement list with the empty requirement `{}` in it.
  private static func allowsAnonymous(_ security: Any?) -> Bool {
    guard let requirements = security as? [Any] else { return false }
    return requirements.isEmpty
      || requirements.contains { ($0 as? [String: Any])?.isEmpty == true }
  }

  /// The operation `method path` answers, if it takes a JSON body or query parameters.
  func operation(method: String, path: String) -> Operation? {
    let segments = path.split(separator: "/").map(String.init)
    return operations.first { operation in
      operation.method == method && operation.segments.count == segments.count
        && zip(operation.segments, segments).allSatisfy { $0 == nil || $0 == $1 }
    }
  }

  /// The document's JSON as a `JSONValue`, with component references pointing at `$defs` and
  /// `format` removed (an annotation in OpenAPI; handlers check the formats they rely on).
  /// The contract tests read response schemas the same way.
  static func jsonValue(_ object: Any) throws -> JSONValue {
    let data = try JSONSerialization.data(withJSONObject: object)
    // Foundation escapes `/` on some platforms and not on others.
    let text = String(decoding: data, as: UTF8.self)
      .replacingOccurrences(of: "#\\/components\\/schemas\\/", with: "#\\/$defs\\/")
      .replacingOccurrences(of: "#/components/schemas/", with: "#/$defs/")
    return strippingFormat(try JSONValue(parsing: text))
  }

  private static func strippingFormat(_ value: JSONValue) -> JSONValue {
    switch value {
    case .object(let object):
      var copy = JSONObject()
      for (key, nested) in object.pairs where key != "format" {
        copy[key] = strippingFormat(nested)
      }
      return .object(copy)
    case .array(let items): return .array(items.map(strippingFormat))
    default: return value
    }
  }
}

struct RequestSchemaError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

extension Application {
  private struct RequestSchemasKey: StorageKey {
    typealias Value = RequestSchemas
  }

  /// The request schemas of openapi.yaml; nil: requests are not checked.
  var requestSchemas: RequestSchemas? {
    get { storage[RequestSchemasKey.self] }
    set { storage[RequestSchemasKey.self] = newValue }
  }
}
