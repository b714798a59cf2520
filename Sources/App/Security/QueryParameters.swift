import Foundation
import Templating

/// An operation's query parameters from openapi.yaml, checked as one JSON object: each value
/// is read as its declared type (`limit=5` as the integer 5) so that the schema's rules apply,
/// and every violation is reported at once. The `uuid` and `date-time` formats, annotations
/// to the schema validator, are checked here, as the handlers parse them.
struct QueryParameters: Sendable {
  let schema: JSONSchema
  /// The declared `type` of each parameter, for reading its text.
  let types: [String: String]
  /// The declared `format` of the parameters that have one.
  let formats: [String: String]

  /// Nil when `declarations` (an operation's `parameters`, with `$ref`s into `shared`) has no
  /// query parameter.
  init?(declarations: [Any], shared: [String: Any]) throws {
    var properties = JSONObject()
    var required: [JSONValue] = []
    var types: [String: String] = [:]
    var formats: [String: String] = [:]
    for declaration in declarations {
      guard var parameter = declaration as? [String: Any] else { continue }
      if let reference = parameter["$ref"] as? String {
        let name = String(reference.split(separator: "/").last ?? "")
        guard let resolved = shared[name] as? [String: Any] else {
          throw RequestSchemaError("openapi.yaml: unknown parameter \(reference)")
        }
        parameter = resolved
      }
      guard parameter["in"] as? String == "query", let name = parameter["name"] as? String,
        let schema = parameter["schema"] as? [String: Any]
      else { continue }
      properties[name] = try RequestSchemas.jsonValue(schema)
      types[name] = schema["type"] as? String ?? "string"
      formats[name] = schema["format"] as? String
      if parameter["required"] as? Bool == true { required.append(.string(name)) }
    }
    guard !types.isEmpty else { return nil }
    var root = JSONObject()
    root["type"] = .string("object")
    root["properties"] = .object(properties)
    if !required.isEmpty { root["required"] = .array(required) }
    self.schema = try JSONSchema(.object(root))
    self.types = types
    self.formats = formats
  }

  /// The violations of a request's query, given each parameter's text as the handlers read it
  /// (`text(name)`). Unknown parameters are left alone.
  func violations(text: (String) -> String?) -> [SchemaViolation] {
    var object = JSONObject()
    var violations: [SchemaViolation] = []
    for (name, type) in types.sorted(by: { $0.key < $1.key }) {
      guard let text = text(name) else { continue }
      object[name] = Self.value(text, as: type)
      if NULCharacter.isIn(text) {
        violations.append(SchemaViolation(pointer: "/\(name)", reason: NULCharacter.reason))
      } else if let reason = formats[name].flatMap({ Self.formatViolation(text, format: $0) }) {
        violations.append(SchemaViolation(pointer: "/\(name)", reason: reason))
      }
    }
    return schema.validate(.object(object)) + violations
  }

  private static func formatViolation(_ text: String, format: String) -> String? {
    switch format {
    case "uuid": UUID(text: text) == nil ? "must be a UUID" : nil
    case "date-time": RFC3339.date(from: text) == nil ? RFC3339.reason : nil
    default: nil
    }
  }

  private static func value(_ text: String, as type: String) -> JSONValue {
    switch type {
    case "integer": Int(text).map { .number(Double($0)) } ?? .string(text)
    case "number": Double(text).flatMap { $0.isFinite ? .number($0) : nil } ?? .string(text)
    case "boolean": ["true": .bool(true), "false": .bool(false)][text] ?? .string(text)
    default: .string(text)
    }
  }
}
