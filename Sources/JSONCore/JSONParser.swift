import Foundation

/// A JSON syntax error, with the 1-based line and column where parsing stopped.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
  /// 1-based line of the offending character.
  public let line: Int
  /// 1-based column (in Unicode scalars) of the offending character.
  public let column: Int
  /// Byte offset of the offending character in the UTF-8 input.
  public let offset: Int
  /// What went wrong, e.g. `expected ',' or '}' after object member`.
  public let message: String
  /// A syntax error, or a document nested deeper than the parser was allowed to go.
  public var kind: Kind = .syntax

  /// What kind of error it is, for callers that answer each differently.
  public enum Kind: Sendable, Hashable {
    case syntax
    case tooDeep
  }

  public var description: String { "line \(line), column \(column): \(message)" }
}

extension JSONValue {
  /// Parses a JSON document (RFC 8259), keeping object keys in document order.
  ///
  /// Foundation's `JSONSerialization` loses key order, hence this parser. A leading UTF-8 byte
  /// order mark is skipped; anything but whitespace after the value is an error.
  public init(parsing text: String) throws(JSONParseError) {
    var text = text
    let result: Result<JSONValue, JSONParseError> = text.withUTF8 { buffer in
      var parser = JSONParser(bytes: buffer)
      return Result { () throws(JSONParseError) in try parser.parseDocument() }
    }
    self = try result.get()
  }

  /// Parses a UTF-8 encoded JSON document; see ``init(parsing:)-(String)``. Arrays and objects
  /// nested deeper than `maximumDepth` are a `tooDeep` error (request bodies are held to far
  /// less than the default, which only protects the stack).
  public init(parsing data: Data, maximumDepth: Int = JSONParser.defaultMaximumDepth)
    throws(JSONParseError)
  {
    let result: Result<JSONValue, JSONParseError> = data.withUnsafeBytes { raw in
      var parser = JSONParser(bytes: raw.bindMemory(to: UInt8.self), maximumDepth: maximumDepth)
      return Result { () throws(JSONParseError) in try parser.parseDocument() }
    }
    self = try result.get()
  }
}

/// A recursive-descent JSON parser over UTF-8 bytes.
public struct JSONParser {
  /// Deeper documents are refused rather than risking the stack.
  public static let defaultMaximumDepth = 512

  let bytes: UnsafeBufferPointer<UInt8>
  let maximumDepth: Int
  var index = 0
  var depth = 0

  init(bytes: UnsafeBufferPointer<UInt8>, maximumDepth: Int = defaultMaximumDepth) {
    self.bytes = bytes
    self.maximumDepth = maximumDepth
  }

  mutating func parseDocument() throws(JSONParseError) -> JSONValue {
    if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
    skipWhitespace()
    guard index < bytes.count else { throw error("empty document: expected a JSON value") }
    let value = try parseValue()
    skipWhitespace()
    guard index == bytes.count else {
      throw error("unexpected \(describeCurrent()) after the value")
    }
    return value
  }

  // MARK: Values

  mutating func parseValue() throws(JSONParseError) -> JSONValue {
    guard index < bytes.count else { throw error("unexpected end of input: expected a value") }
    switch bytes[index] {
    case UInt8(ascii: "{"): return try parseObject()
    case UInt8(ascii: "["): return try parseArray()
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
    case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
    case UInt8(ascii: "n"): return try parseLiteral("null", .null)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
    default: throw error("unexpected \(describeCurrent()): expected a value")
    }
  }

  mutating func parseLiteral(_ word: StaticString, _ value: JSONValue) throws(JSONParseError)
    -> JSONValue
  {
    let start = index
    let length = word.utf8CodeUnitCount
    let matches = word.withUTF8Buffer { expected -> Bool in
      guard start + length <= bytes.count else { return false }
      for offset in 0..<length where bytes[start + offset] != expected[offset] { return false }
      return true
    }
    guard matches else { throw error("invalid literal: expected \(word)") }
    index += length
    return value
  }

  mutating func parseObject() throws(JSONParseError) -> JSONValue {
    try enterContainer()
    index += 1  // {
    var object = JSONObject()
    skipWhitespace()
    if peek() == UInt8(ascii: "}") {
      index += 1
      depth -= 1
      return .object(object)
    }
    while true {
      skipWhitespace()
      guard peek() == UInt8(ascii: "\"") else {
        throw error("unexpected \(describeCurrent()): expected a string key")
      }
      let key = try parseString()
      skipWhitespace()
      guard peek() == UInt8(ascii: ":") else {
        throw error("unexpected \(describeCurrent()): expected ':' after object key")
      }
      index += 1
      skipWhitespace()
      object[key] = try parseValue()
      skipWhitespace()
      switch peek() {
      case UInt8(ascii: ","):
        index += 1
      case UInt8(ascii: "}"):
        index += 1
        depth -= 1
        return .object(object)
      default:
        throw error("unexpected \(describeCurrent()): expected ',' or '}' after object member")
      }
    }
  }

  mutating func parseArray() throws(JSONParseError) -> JSONValue {
    try enterContainer()
    index += 1  // [
    var array: [JSONValue] = []
    skipWhitespace()
    if peek() == UInt8(ascii: "]") {
      index += 1
      depth -= 1
      return .array(array)
    }
    while true {
      skipWhitespace()
      array.append(try parseValue())
      skipWhitespace()
      switch peek() {
      case UInt8(ascii: ","):
        index += 1
      case UInt8(ascii: "]"):
        index += 1
        depth -= 1
        return .array(array)
      default:
        throw error("unexpected \(describeCurrent()): expected ',' or ']' after array element")
      }
    }
  }

  mutating func enterContainer() throws(JSONParseError) {
    depth += 1
    guard depth <= maximumDepth else {
      var tooDeep = error("nesting deeper than \(maximumDepth) levels")
      tooDeep.kind = .tooDeep
      throw tooDeep
    }
  }

  // MARK: Strings

  mutating func parseString() throws(JSONParseError) -> String {
    index += 1  // opening quote
    let start = index
    // Fast path: no escapes.
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        let string = try makeString(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        index += 1
        return string
      }
      if byte == UInt8(ascii: "\\") { break }
      if byte < 0x20 { throw error("control character in string must be escaped") }
      index += 1
    }
    var buffer = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
    while index < bytes.count {
      let byte = bytes[index]
      switch byte {
      case UInt8(ascii: "\""):
        index += 1
        return try buffer.withUnsafeBufferPointer { raw throws(JSONParseError) in
          try makeString(raw)
        }
      case UInt8(ascii: "\\"):
        try parseEscape(into: &buffer)
      case 0..<0x20:
        throw error("control character in string must be escaped")
      default:
        buffer.append(byte)
        index += 1
      }
    }
    throw error("unterminated string")
  }

  mutating func parseEscape(into buffer: inout [UInt8]) throws(JSONParseError) {
    index += 1  // backslash
    guard index < bytes.count else { throw error("unterminated string") }
    let byte = bytes[index]
    index += 1
    switch byte {
    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(byte)
    case UInt8(ascii: "b"): buffer.append(0x08)
    case UInt8(ascii: "f"): buffer.append(0x0C)
    case UInt8(ascii: "n"): buffer.append(0x0A)
    case UInt8(ascii: "r"): buffer.append(0x0D)
    case UInt8(ascii: "t"): buffer.append(0x09)
    case UInt8(ascii: "u"):
      var scalar = try parseHex4()
      if (0xD800..<0xDC00).contains(scalar) {
        // A high surrogate must be followed by an escaped low surrogate.
        if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
          bytes[index + 1] == UInt8(ascii: "u")
        {
          let save = index
          index += 2
          let low = try parseHex4()
          if (0xDC00..<0xE000).contains(low) {
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
          } else {
            index = save
            scalar = 0xFFFD
          }
        } else {
          scalar = 0xFFFD
        }
      } else if (0xDC00..<0xE000).contains(scalar) {
        scalar = 0xFFFD  // lone low surrogate: not representable in a Swift string
      }
      let unicode = Unicode.Scalar(scalar) ?? "\u{FFFD}"
      buffer.append(contentsOf: Array(String(Character(unicode)).utf8))
    default:
      index -= 1
      let shown = describeByte(byte)
      index -= 1  // point at the backslash
      throw error("invalid escape sequence '\\\(shown)'")
    }
  }

  mutating func parseHex4() throws(JSONParseError) -> UInt32 {
    guard index + 4 <= bytes.count else { throw error("invalid \\u escape: expected 4 hex digits") }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let byte = bytes[index]
      let digit: UInt8
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
      default: throw error("invalid \\u escape: expected 4 hex digits")
      }
      value = value << 4 | UInt32(digit)
      index += 1
    }
    return value
  }

  func makeString(_ raw: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> String {
    let string = String(decoding: raw, as: UTF8.self)
    // `String(decoding:)` repairs invalid UTF-8, and a repaired string has different bytes.
    // (`String(validating:)` would say so directly, but needs macOS 15.)
    if raw.contains(where: { $0 >= 0x80 }), !string.utf8.elementsEqual(raw) {
      throw error("invalid UTF-8 in string")
    }
    return string
  }

  // MARK: Numbers

  mutating func parseNumber() throws(JSONParseError) -> JSONValue {
    let start = index
    var negative = false
    if bytes[index] == UInt8(ascii: "-") {
      negative = true
      index += 1
    }
    guard let first = peek(), isDigit(first) else {
      throw error("invalid number: expected a digit")
    }
    var mantissa: Int64 = 0
    var digitCount = 0
    if first == UInt8(ascii: "0") {
      index += 1
      if let next = peek(), isDigit(next) {
        throw error("invalid number: leading zeros are not allowed")
      }
    } else {
      while let byte = peek(), isDigit(byte) {
        if digitCount < 18 { mantissa = mantissa * 10 + Int64(byte - UInt8(ascii: "0")) }
        digitCount += 1
        index += 1
      }
    }
    var isSimpleInteger = digitCount <= 15
    if peek() == UInt8(ascii: ".") {
      isSimpleInteger = false
      index += 1
      guard let byte = peek(), isDigit(byte) else {
        throw error("invalid number: expected a digit after '.'")
      }
      while let byte = peek(), isDigit(byte) { index += 1 }
    }
    if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
      isSimpleInteger = false
      index += 1
      if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
      guard let byte = peek(), isDigit(byte) else {
        throw error("invalid number: expected a digit in the exponent")
      }
      while let byte = peek(), isDigit(byte) { index += 1 }
    }
    if isSimpleInteger {
      // Exact in a double; a negative zero stays -0.0 like JavaScript's.
      return .number(negative ? -Double(mantissa) : Double(mantissa))
    }
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    guard let value = Double(text), value.isFinite else {
      index = start
      throw error("number out of range: \(text)")
    }
    return .number(value)
  }

  func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }

  // MARK: Helpers

  func peek() -> UInt8? {
    index < bytes.count ? bytes[index] : nil
  }

  mutating func skipWhitespace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x09, 0x0A, 0x0D: index += 1
      default: return
      }
    }
  }

  func describeCurrent() -> String {
    guard index < bytes.count else { return "end of input" }
    return "character '\(describeByte(bytes[index]))'"
  }

  func describeByte(_ byte: UInt8) -> String {
    if byte >= 0x20 && byte < 0x7F { return String(UnicodeScalar(byte)) }
    if byte >= 0x80 {
      // Show the whole UTF-8 sequence starting here when it decodes.
      var end = index + 1
      while end < bytes.count, end < index + 4, bytes[end] & 0xC0 == 0x80 { end += 1 }
      let slice = UnsafeBufferPointer(rebasing: bytes[index..<end])
      let text = String(decoding: slice, as: UTF8.self)
      if text.utf8.elementsEqual(slice) { return text }
    }
    return String(format: "\\u%04X", Int(byte))
  }

  /// An error at the current position, with its line and column.
  func error(_ message: String) -> JSONParseError {
    let end = min(index, bytes.count)
    var line = 1
    var column = 1
    for offset in 0..<end {
      let byte = bytes[offset]
      if byte == 0x0A {
        line += 1
        column = 1
      } else if byte & 0xC0 != 0x80 {
        column += 1
      }
    }
    return JSONParseError(line: line, column: column, offset: end, message: message)
  }
}
