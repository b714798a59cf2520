import Foundation

/// Finds the exact bytes of JSON values inside a document without re-encoding them, so that
/// each issue's raw JSON can be stored unchanged in `payload_json`.
///
/// A scanner of its own, not JSONCore's parser: it must answer where a value's bytes start and
/// end, which a parser that builds values does not keep.
enum JSONSlicer {
  /// The byte slices of the elements of the array at top-level member `key`.
  static func arrayElements(ofMember key: String, in data: Data) throws -> [Data] {
    let bytes = [UInt8](data)
    var scanner = Scanner(bytes: bytes)
    guard let range = try scanner.memberValueRange(key) else { return [] }
    var inner = Scanner(bytes: bytes, position: range.lowerBound)
    return try inner.arrayElementRanges().map { Data(bytes[$0]) }
  }

  /// The byte slices of the elements of a document that is an array (GitHub's lists).
  static func arrayElements(in data: Data) throws -> [Data] {
    let bytes = [UInt8](data)
    var scanner = Scanner(bytes: bytes)
    return try scanner.arrayElementRanges().map { Data(bytes[$0]) }
  }

  /// The byte slice of the top-level member `key`, or `nil` when absent.
  static func member(_ key: String, in data: Data) throws -> Data? {
    let bytes = [UInt8](data)
    var scanner = Scanner(bytes: bytes)
    return try scanner.memberValueRange(key).map { Data(bytes[$0]) }
  }

  private struct Scanner {
    let bytes: [UInt8]
    var position = 0

    init(bytes: [UInt8], position: Int = 0) {
      self.bytes = bytes
      self.position = position
    }

    private func malformed() -> TrackerError {
      TrackerError.badResponse("malformed JSON near byte \(position)")
    }

    mutating func skipWhitespace() {
      while position < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[position]) {
        position += 1
      }
    }

    mutating func expect(_ byte: UInt8) throws {
      skipWhitespace()
      guard position < bytes.count, bytes[position] == byte else { throw malformed() }
      position += 1
    }

    mutating func readString() throws -> String {
      skipWhitespace()
      guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
        throw malformed()
      }
      let start = position
      try skipValue()
      let literal = Data(bytes[start..<position])
      guard let value = try? JSONDecoder().decode(String.self, from: literal) else {
        throw malformed()
      }
      return value
    }

    /// Skips one value and returns its byte range.
    @discardableResult
    mutating func skipValue() throws -> Range<Int> {
      skipWhitespace()
      guard position < bytes.count else { throw malformed() }
      let start = position
      switch bytes[position] {
      case UInt8(ascii: "\""):
        position += 1
        while position < bytes.count {
          let byte = bytes[position]
          if byte == UInt8(ascii: "\\") {
            position += 2
            continue
          }
          position += 1
          if byte == UInt8(ascii: "\"") { return start..<position }
        }
        throw malformed()
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        var depth = 0
        while position < bytes.count {
          let byte = bytes[position]
          if byte == UInt8(ascii: "\"") {
            try skipValue()
            continue
          }
          position += 1
          if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") { depth += 1 }
          if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
            depth -= 1
            if depth == 0 { return start..<position }
          }
        }
        throw malformed()
      default:
        while position < bytes.count,
          ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09]
            .contains(bytes[position])
        {
          position += 1
        }
        return start..<position
      }
    }

    mutating func memberValueRange(_ key: String) throws -> Range<Int>? {
      try expect(UInt8(ascii: "{"))
      skipWhitespace()
      if position < bytes.count, bytes[position] == UInt8(ascii: "}") { return nil }
      while true {
        let name = try readString()
        try expect(UInt8(ascii: ":"))
        let range = try skipValue()
        if name == key { return range }
        skipWhitespace()
        guard position < bytes.count else { throw malformed() }
        if bytes[position] == UInt8(ascii: "}") { return nil }
        try expect(UInt8(ascii: ","))
      }
    }

    mutating func arrayElementRanges() throws -> [Range<Int>] {
      skipWhitespace()
      if position < bytes.count, bytes[position] == UInt8(ascii: "n") { return [] }
      try expect(UInt8(ascii: "["))
      var ranges: [Range<Int>] = []
      skipWhitespace()
      if position < bytes.count, bytes[position] == UInt8(ascii: "]") { return [] }
      while true {
        ranges.append(try skipValue())
        skipWhitespace()
        guard position < bytes.count else { throw malformed() }
        if bytes[position] == UInt8(ascii: "]") { return ranges }
        try expect(UInt8(ascii: ","))
      }
    }
  }
}
