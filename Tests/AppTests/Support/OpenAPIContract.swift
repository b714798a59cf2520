import Foundation
import Templating
import Testing
import Yams

@testable import App

/// The OpenAPI document as tests see it: which operations exist and which statuses each may
/// answer. A response whose status the document does not declare fails the test that got it.
final class OpenAPIContract: Sendable {
  static let shared = OpenAPIContract()

  struct Operation: Hashable, Sendable {
    let method: String
    let path: String
  }

  let statuses: [Operation: Set<String>]
  /// Response schemas by operation, status and media type, as JSON Schema documents whose
  /// `$defs` are the document's component schemas (OpenAPI 3.1 schemas are JSON Schema).
  let responseSchemas: [Operation: [String: [String: JSONValue]]]

  init() {
    let url = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Sources/App/Resources/openapi.yaml")
    let text = try! String(contentsOf: url, encoding: .utf8)
    let document = try! Yams.load(yaml: text) as! [String: Any]
    let paths = document["paths"] as! [String: Any]
    var statuses: [Operation: Set<String>] = [:]
    for (path, item) in paths {
      for (method, operation) in item as! [String: Any] {
        guard let operation = operation as? [String: Any],
          let responses = operation["responses"] as? [String: Any]
        else { continue }
        statuses[Operation(method: method.uppercased(), path: path)] = Set(responses.keys)
      }
    }
    self.statuses = statuses

    // Component schemas as `$defs`, as the request validator reads them.
    func jsonValue(_ object: Any) -> JSONValue { try! RequestSchemas.jsonValue(object) }
    let components = document["components"] as? [String: Any] ?? [:]
    let defs = jsonValue(components["schemas"] ?? [:])
    let sharedResponses = components["responses"] as? [String: Any] ?? [:]
    var schemas: [Operation: [String: [String: JSONValue]]] = [:]
    for (path, item) in paths {
      for (method, operation) in item as! [String: Any] {
        guard let operation = operation as? [String: Any],
          let responses = operation["responses"] as? [String: Any]
        else { continue }
        for (status, response) in responses {
          var response = response as? [String: Any] ?? [:]
          if let ref = response["$ref"] as? String {
            response =
              sharedResponses[String(ref.split(separator: "/").last!)] as? [String: Any] ?? [:]
          }
          for (mediaType, media) in response["content"] as? [String: Any] ?? [:] {
            guard let schema = (media as? [String: Any])?["schema"] else { continue }
            guard case .object(var root) = jsonValue(schema) else { continue }
            root["$defs"] = defs
            schemas[Operation(method: method.uppercased(), path: path), default: [:]][
              status, default: [:]][
                mediaType] = .object(root)
          }
        }
      }
    }
    self.responseSchemas = schemas
  }

  /// Checks a JSON response body against the schema the document declares for it.
  func expectConforming(
    method: String, path: String, status: Int, contentType: String?, body: Data,
    sourceLocation: SourceLocation
  ) {
    guard let operation = template(for: method, path: path), let contentType else { return }
    let mediaType = String(contentType.split(separator: ";")[0]).trimmingCharacters(
      in: .whitespaces)
    guard mediaType.hasSuffix("json"), !body.isEmpty else { return }
    guard let schemaJSON = responseSchemas[operation]?[String(status)]?[mediaType] else {
      Issue.record(
        "openapi.yaml declares no \(mediaType) schema for \(status) of \(method) \(operation.path)",
        sourceLocation: sourceLocation)
      return
    }
    guard let instance = try? JSONValue(parsing: body) else {
      Issue.record("\(method) \(path) answered invalid JSON", sourceLocation: sourceLocation)
      return
    }
    do {
      let violations = try JSONSchema(schemaJSON).validate(instance)
      #expect(
        violations.isEmpty,
        "\(method) \(operation.path) \(status) does not match its schema: \(violations)",
        sourceLocation: sourceLocation)
    } catch {
      Issue.record(
        "schema of \(method) \(operation.path) \(status): \(error)", sourceLocation: sourceLocation)
    }
  }

  var operations: Set<Operation> { Set(statuses.keys) }

  /// The document's path template matching a concrete path (`/users/{userID}` for `/users/1`).
  /// Only the most specific paths count, as for the router's 405s: `/prompts/generate` is not
  /// also `/prompts/{promptID}`.
  func template(for method: String, path: String) -> Operation? {
    let segments = path.split(separator: "?")[0].split(separator: "/").map(String.init)
    let matching = statuses.keys.filter { operation in
      let pattern = operation.path.split(separator: "/").map(String.init)
      guard pattern.count == segments.count else { return false }
      return zip(pattern, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
    }
    func constants(_ operation: Operation) -> Int {
      operation.path.split(separator: "/").filter { !$0.hasPrefix("{") }.count
    }
    let best = matching.map(constants).max() ?? 0
    return matching.first { $0.method == method && constants($0) == best }
  }

  func expectDeclared(
    method: String, path: String, status: Int, sourceLocation: SourceLocation
  ) {
    guard let operation = template(for: method, path: path) else {
      // Unknown paths and wrong methods answer 404/405 by the document's general rules.
      #expect(
        status == 404 || status == 405, "\(method) \(path) is not in openapi.yaml",
        sourceLocation: sourceLocation)
      return
    }
    let declared = statuses[operation] ?? []
    #expect(
      declared.contains(String(status)) || declared.contains("default"),
      "openapi.yaml does not declare \(status) for \(method) \(operation.path)",
      sourceLocation: sourceLocation)
  }
}
