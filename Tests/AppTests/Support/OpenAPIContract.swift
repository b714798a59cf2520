import Foundation
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
  }

  var operations: Set<Operation> { Set(statuses.keys) }

  /// The document's path template matching a concrete path (`/users/{userID}` for `/users/1`).
  func template(for method: String, path: String) -> Operation? {
    let segments = path.split(separator: "?")[0].split(separator: "/").map(String.init)
    return statuses.keys.first { operation in
      guard operation.method == method else { return false }
      let pattern = operation.path.split(separator: "/").map(String.init)
      guard pattern.count == segments.count else { return false }
      return zip(pattern, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
    }
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
