/// A line-by-line difference between two texts (Myers' O(ND) algorithm), grouped into hunks
/// with context as `diff -u` prints them.
public struct LineDiff: Sendable, Equatable {
  public enum Kind: String, Sendable, Codable {
    case context, added, removed
  }

  public struct Line: Sendable, Equatable {
    public let kind: Kind
    public let text: String
    /// 1-based line numbers; nil on the side the line is not on.
    public let oldLine: Int?
    public let newLine: Int?
  }

  public struct Hunk: Sendable, Equatable {
    public let oldStart: Int
    public let oldLines: Int
    public let newStart: Int
    public let newLines: Int
    public let lines: [Line]

    /// `@@ -1,3 +1,4 @@`; an empty side starts at the line before it, as diff(1) writes it.
    public var header: String { "@@ -\(oldStart),\(oldLines) +\(newStart),\(newLines) @@" }
  }

  public let hunks: [Hunk]

  /// Texts whose lines differ in more than this many places are shown as replaced whole: the
  /// work grows with lines × edits and the memory with edits², so both stay bounded.
  public static let maximumEdits = 1_000

  public init(old: String, new: String, context: Int = 3) {
    let before = Self.lines(of: old)
    let after = Self.lines(of: new)
    let script = Self.editScript(before, after)
    hunks = Self.hunks(script, context: context)
  }

  /// The hunks as a unified diff with the given file labels.
  public func unified(oldLabel: String, newLabel: String) -> String {
    guard !hunks.isEmpty else { return "" }
    var text = "--- \(oldLabel)\n+++ \(newLabel)\n"
    for hunk in hunks {
      text += hunk.header + "\n"
      for line in hunk.lines {
        let sign = line.kind == .added ? "+" : line.kind == .removed ? "-" : " "
        text += sign + line.text + "\n"
      }
    }
    return text
  }

  static func lines(of text: String) -> [Substring] {
    guard !text.isEmpty else { return [] }
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    if text.hasSuffix("\n") { lines.removeLast() }
    return lines
  }

  /// Every line of both texts in order, each kept, added or removed, with its numbers.
  static func editScript(_ old: [Substring], _ new: [Substring]) -> [Line] {
    let (n, m) = (old.count, new.count)
    let offset = n + m + 1
    var frontier = [Int](repeating: 0, count: 2 * (n + m) + 3)
    // The frontier before each round, only the diagonals that round can read (-d-1 … d+1).
    var trace: [ArraySlice<Int>] = []
    var edits = 0
    search: while edits <= min(n + m, maximumEdits) {
      trace.append(frontier[(offset - edits - 1)...(offset + edits + 1)])
      for diagonal in stride(from: -edits, through: edits, by: 2) {
        let down =
          diagonal == -edits
          || (diagonal != edits
            && frontier[offset + diagonal - 1] < frontier[offset + diagonal + 1])
        var x = down ? frontier[offset + diagonal + 1] : frontier[offset + diagonal - 1] + 1
        var y = x - diagonal
        while x < n, y < m, old[x] == new[y] {
          x += 1
          y += 1
        }
        frontier[offset + diagonal] = x
        if x >= n, y >= m { break search }
      }
      edits += 1
    }
    guard edits <= min(n + m, maximumEdits) else { return replacedWhole(old, new) }
    return backtrack(trace: trace, old: old, new: new, offset: offset)
  }

  private static func backtrack(
    trace: [ArraySlice<Int>], old: [Substring], new: [Substring], offset: Int
  ) -> [Line] {
    var lines: [Line] = []
    var (x, y) = (old.count, new.count)
    for edits in stride(from: trace.count - 1, through: 0, by: -1) {
      let frontier = trace[edits]  // indexed like the full frontier: slices keep their indices
      let diagonal = x - y
      let down =
        diagonal == -edits
        || (diagonal != edits && frontier[offset + diagonal - 1] < frontier[offset + diagonal + 1])
      let previous = down ? diagonal + 1 : diagonal - 1
      let previousX = edits == 0 ? 0 : frontier[offset + previous]
      let previousY = edits == 0 ? 0 : previousX - previous
      while x > previousX, y > previousY {
        lines.append(Line(kind: .context, text: String(old[x - 1]), oldLine: x, newLine: y))
        x -= 1
        y -= 1
      }
      guard edits > 0 else { break }
      if x == previousX {
        lines.append(Line(kind: .added, text: String(new[y - 1]), oldLine: nil, newLine: y))
      } else {
        lines.append(Line(kind: .removed, text: String(old[x - 1]), oldLine: x, newLine: nil))
      }
      (x, y) = (previousX, previousY)
    }
    return lines.reversed()
  }

  private static func replacedWhole(_ old: [Substring], _ new: [Substring]) -> [Line] {
    old.enumerated().map { Line(kind: .removed, text: String($1), oldLine: $0 + 1, newLine: nil) }
      + new.enumerated().map {
        Line(kind: .added, text: String($1), oldLine: nil, newLine: $0 + 1)
      }
  }

  /// Changed lines with `context` unchanged lines around them; changes closer than twice the
  /// context share a hunk.
  static func hunks(_ script: [Line], context: Int) -> [Hunk] {
    let changed = script.indices.filter { script[$0].kind != .context }
    guard !changed.isEmpty else { return [] }
    var ranges: [ClosedRange<Int>] = []
    for index in changed {
      let range = max(0, index - context)...min(script.count - 1, index + context)
      if let last = ranges.last, range.lowerBound <= last.upperBound + 1 {
        ranges[ranges.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
      } else {
        ranges.append(range)
      }
    }
    return ranges.map { range in
      let lines = Array(script[range])
      let oldLines = lines.filter { $0.kind != .added }.count
      let newLines = lines.filter { $0.kind != .removed }.count
      // The numbers of the line before the hunk, for a side the hunk has no line on.
      let before = script[..<range.lowerBound]
      let oldBefore = before.last(where: { $0.oldLine != nil })?.oldLine ?? 0
      let newBefore = before.last(where: { $0.newLine != nil })?.newLine ?? 0
      return Hunk(
        oldStart: oldLines == 0 ? oldBefore : oldBefore + 1, oldLines: oldLines,
        newStart: newLines == 0 ? newBefore : newBefore + 1, newLines: newLines, lines: lines)
    }
  }
}
