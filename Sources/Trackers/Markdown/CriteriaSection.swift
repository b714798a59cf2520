import Foundation

/// Finds acceptance criteria written inside a description under a heading, for trackers or
/// issues without a dedicated field.
public enum CriteriaSection {
  /// The Markdown under a heading named "Acceptance criteria" (any case, optional colon),
  /// up to the next heading of the same or a higher level; `nil` when there is none.
  public static func extract(from markdown: String) -> String? {
    let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false)
    var inFence = false
    var start: Int?
    var level = 0
    var collected: [Substring] = []
    for (index, line) in lines.enumerated() {
      if line.hasPrefix("```") || line.hasPrefix("~~~") { inFence.toggle() }
      let heading = inFence ? nil : headingLevel(line)
      if start != nil {
        if let heading, heading.level <= level { break }
        collected.append(line)
      } else if let heading, isCriteriaTitle(heading.text) {
        start = index
        level = heading.level
      }
    }
    guard start != nil else { return nil }
    let text = leadingList(collected.joined(separator: "\n"))
      .trimmingCharacters(in: .whitespacesAndNewlines)
    return text.isEmpty ? nil : text
  }

  /// The task-list items of a description (`- [ ] …`, `* [x] …`, outside code fences), one per
  /// line as written: GitLab shows them as the issue's checklist, which teams use as its
  /// acceptance criteria. `nil` when there are none.
  public static func taskItems(in markdown: String) -> String? {
    var inFence = false
    var items: [Substring] = []
    for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
      let trimmed = line.drop { $0 == " " }
      if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") { inFence.toggle() }
      guard !inFence else { continue }
      let item = trimmed.dropLast(trimmed.hasSuffix("\r") ? 1 : 0)
      for marker in ["- [", "* [", "+ ["] where item.hasPrefix(marker) {
        let box = item.dropFirst(marker.count).prefix(3)
        if box == " ] " || box == "x] " || box == "X] " { items.append(item) }
      }
    }
    return items.isEmpty ? nil : items.joined(separator: "\n")
  }

  /// When the section starts with a list, only that list (a later code block or note under the
  /// same heading is not part of the criteria).
  private static func leadingList(_ section: String) -> String {
    let lines = section.trimmingCharacters(in: .whitespacesAndNewlines)
      .split(separator: "\n", omittingEmptySubsequences: false)
    guard let first = lines.first, isListLine(first) else { return section }
    var kept: [Substring] = []
    var index = 0
    while index < lines.count {
      let line = lines[index]
      if line.trimmingCharacters(in: .whitespaces).isEmpty {
        let next = index + 1 < lines.count ? lines[index + 1] : nil
        guard let next, isListLine(next) || next.hasPrefix(" ") else { break }
      }
      kept.append(line)
      index += 1
    }
    return kept.joined(separator: "\n")
  }

  private static func isListLine(_ line: Substring) -> Bool {
    let body = line.drop { $0 == " " }
    if body.hasPrefix("- ") || body.hasPrefix("* ") || body.hasPrefix("+ ") { return true }
    let digits = body.prefix { $0.isNumber }
    return !digits.isEmpty
      && (body.dropFirst(digits.count).hasPrefix(". ")
        || body.dropFirst(digits.count).hasPrefix(") "))
  }

  private static func headingLevel(_ line: Substring) -> (level: Int, text: String)? {
    let hashes = line.prefix { $0 == "#" }
    guard (1...6).contains(hashes.count), line.dropFirst(hashes.count).first == " " else {
      return nil
    }
    return (hashes.count, String(line.dropFirst(hashes.count + 1)))
  }

  private static func isCriteriaTitle(_ text: String) -> Bool {
    var title = text.replacingOccurrences(of: "*", with: "").trimmingCharacters(in: .whitespaces)
    if title.hasSuffix(":") { title.removeLast() }
    return ["acceptance criteria", "acceptance criterion"].contains(title.lowercased())
  }
}
