import Foundation
import Testing

@testable import Trackers

/// Compares converter output with `Fixtures/expected/<name>.md`; with `TRACKERS_RECORD=1` in the
/// environment, writes the file instead (review the diff before committing).
func expectMarkdown(
  _ actual: String, matches name: String, sourceLocation: SourceLocation = #_sourceLocation
) {
  let url = Fixtures.root.appendingPathComponent("expected/\(name).md")
  if ProcessInfo.processInfo.environment["TRACKERS_RECORD"] == "1" {
    try? FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try? Data((actual + "\n").utf8).write(to: url)
    return
  }
  guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
    Issue.record("missing expectation \(name).md", sourceLocation: sourceLocation)
    return
  }
  #expect(actual + "\n" == expected, "\(name)", sourceLocation: sourceLocation)
}
