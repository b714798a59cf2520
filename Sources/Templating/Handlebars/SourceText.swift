/// A template's UTF-8 with a line table, to turn byte offsets into line and column.
struct SourceText: Sendable {
  let bytes: [UInt8]
  private let lineStarts: [Int]

  init(_ source: String) {
    bytes = Array(source.utf8)
    var starts = [0]
    for (i, byte) in bytes.enumerated() where byte == 0x0A {
      starts.append(i + 1)
    }
    lineStarts = starts
  }

  /// 1-based line and column (column counted in Unicode scalars).
  func lineAndColumn(of offset: Int) -> (Int, Int) {
    let clamped = max(0, min(offset, bytes.count))
    var low = 0
    var high = lineStarts.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if lineStarts[mid] <= clamped { low = mid } else { high = mid - 1 }
    }
    var column = 1
    var i = lineStarts[low]
    while i < clamped {
      if bytes[i] & 0xC0 != 0x80 { column += 1 }
      i += 1
    }
    return (low + 1, column)
  }

  /// The text of a 1-based line, without its newline.
  func line(_ number: Int) -> String {
    guard number >= 1 && number <= lineStarts.count else { return "" }
    let start = lineStarts[number - 1]
    var end = number < lineStarts.count ? lineStarts[number] - 1 : bytes.count
    if end > start && bytes[end - 1] == 0x0D { end -= 1 }
    return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
  }

  /// The line, cut to about 80 characters around `column`.
  func excerpt(line number: Int, column: Int) -> String {
    let scalars = Array(line(number).unicodeScalars)
    if scalars.count <= 80 { return String(String.UnicodeScalarView(scalars)) }
    let start = max(0, min(column - 40, scalars.count - 80))
    let end = min(scalars.count, start + 80)
    let body = String(String.UnicodeScalarView(scalars[start..<end]))
    return (start > 0 ? "…" : "") + body + (end < scalars.count ? "…" : "")
  }
}
