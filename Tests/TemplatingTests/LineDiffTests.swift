import Foundation
import Templating
import Testing

/// The line diff against the texts themselves (applying it gives the new text back) and
/// against GNU diff (`diff --minimal`: the same number of changed lines).
@Suite struct LineDiffTests {
  /// The new text rebuilt from the old one and the hunks.
  static func apply(_ diff: LineDiff, to old: String) -> [String] {
    let lines =
      old.isEmpty
      ? []
      : old.split(separator: "\n", omittingEmptySubsequences: false)
        .map(String.init).dropLast(old.hasSuffix("\n") ? 1 : 0)
    var result: [String] = []
    var next = 1
    for hunk in diff.hunks {
      let start = hunk.oldLines == 0 ? hunk.oldStart + 1 : hunk.oldStart
      result += lines[(next - 1)..<(start - 1)]
      for line in hunk.lines where line.kind != .removed { result.append(line.text) }
      next = start + hunk.oldLines
    }
    result += lines[(next - 1)...]
    return result
  }

  @Test func aChangedLineIsAHunkWithItsContext() {
    let diff = LineDiff(old: "a\nb\nc\nd\ne\nf\ng\nh\n", new: "a\nb\nc\nd\nE\nf\ng\nh\n")
    #expect(
      diff.unified(oldLabel: "v1", newLabel: "v2")
        == "--- v1\n+++ v2\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n")
    #expect(diff.hunks[0].lines[3].oldLine == 5 && diff.hunks[0].lines[3].newLine == nil)
  }

  @Test func emptySidesAndEqualTexts() {
    #expect(LineDiff(old: "same\n", new: "same\n").hunks.isEmpty)
    #expect(LineDiff(old: "", new: "").hunks.isEmpty)
    #expect(
      LineDiff(old: "", new: "x\n").unified(oldLabel: "a", newLabel: "b")
        == "--- a\n+++ b\n@@ -0,0 +1,1 @@\n+x\n")
    #expect(LineDiff(old: "x\ny\n", new: "").hunks.first?.header == "@@ -1,2 +0,0 @@")
  }

  @Test func distantChangesAreSeparateHunks() {
    let old = (1...30).map(String.init).joined(separator: "\n")
    let new = old.replacingOccurrences(of: "\n3\n", with: "\nthree\n")
      .replacingOccurrences(of: "\n27\n", with: "\n")
    let diff = LineDiff(old: old, new: new)
    #expect(diff.hunks.map(\.header) == ["@@ -1,6 +1,6 @@", "@@ -24,7 +24,6 @@"])
    #expect(Self.apply(diff, to: old) == new.components(separatedBy: "\n"))
  }

  @Test func tooManyEditsAreShownAsReplacedWhole() {
    let old = (0..<3_000).map { "a\($0)" }.joined(separator: "\n")
    let new = (0..<3_000).map { "b\($0)" }.joined(separator: "\n")
    let diff = LineDiff(old: old, new: new)
    #expect(diff.hunks.count == 1)
    #expect(diff.hunks[0].lines.count == 6_000)
  }

  /// Random edits of random texts: the diff rebuilds the new text, and changes as few lines as
  /// GNU diff's minimal mode.
  @Test func randomEditsMatchGNUDiff() throws {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/diff") else { return }
    var generator = SystemRandomNumberGenerator()
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "linediff-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    for round in 0..<150 {
      let alphabet = ["a", "b", "c", "d", "", "{{x}}"]
      let old = (0..<Int.random(in: 0...25, using: &generator)).map { _ in
        alphabet.randomElement(using: &generator)!
      }
      var new = old
      for _ in 0..<Int.random(in: 0...8, using: &generator) {
        let position = Int.random(in: 0...new.count, using: &generator)
        if Bool.random(using: &generator) || new.isEmpty || position == new.count {
          new.insert(alphabet.randomElement(using: &generator)!, at: position)
        } else {
          new.remove(at: position)
        }
      }
      let oldText = old.map { $0 + "\n" }.joined()
      let newText = new.map { $0 + "\n" }.joined()
      let diff = LineDiff(old: oldText, new: newText)
      #expect(Self.apply(diff, to: oldText) == new, "round \(round)")
      let changed = diff.hunks.flatMap(\.lines).filter { $0.kind != .context }.count
      try Data(oldText.utf8).write(to: folder.appendingPathComponent("old"))
      try Data(newText.utf8).write(to: folder.appendingPathComponent("new"))
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/diff")
      process.arguments = ["--minimal", "-U0", "old", "new"]
      process.currentDirectoryURL = folder
      let pipe = Pipe()
      process.standardOutput = pipe
      try process.run()
      let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      process.waitUntilExit()
      let gnu = output.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2)
        .filter { ($0.hasPrefix("+") || $0.hasPrefix("-")) }.count
      #expect(changed == gnu, "round \(round): \(old) → \(new)")
    }
  }
}
