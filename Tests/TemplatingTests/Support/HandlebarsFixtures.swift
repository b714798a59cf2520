import Foundation
import Templating

/// Locates the Handlebars fixtures by source path, so no resource declaration is needed.
enum HandlebarsFixtures {
  /// `Tests/TemplatingTests/Fixtures`.
  static let directory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // Support
    .deletingLastPathComponent()  // TemplatingTests
    .appendingPathComponent("Fixtures")

  static func load(_ name: String) throws -> JSONValue {
    try JSONValue(parsing: Data(contentsOf: directory.appendingPathComponent(name)))
  }
}
