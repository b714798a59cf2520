import Foundation
import Templating
import Testing

@Suite("JSONValue parsing")
struct JSONValueParsingTests {
  @Test("parses every kind of value and keeps key order")
  func parsesValues() throws {
    // act
    let value = try JSONValue(
      parsing: #"{"z": 1, "a": [true, false, null, -2.5e3, "s"], "m": {"y": {}, "b": []}}"#)
    // check
    #expect(value.objectValue?.keys == ["z", "a", "m"])
    #expect(value["a"] == [true, false, nil, -2500, "s"])
    #expect(value["m"]?.objectValue?.keys == ["y", "b"])
    #expect(value["z"]?.intValue == 1)
  }

  @Test("decodes escapes, surrogate pairs and UTF-8")
  func decodesStrings() throws {
    let value = try JSONValue(parsing: #""a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00é""#)
    #expect(value == .string("a\"\\/\u{8}\u{c}\n\r\t\u{e9}\u{1F600}é"))
    // A lone surrogate cannot live in a Swift string: it becomes U+FFFD.
    #expect(try JSONValue(parsing: #""\ud800x""#) == .string("\u{FFFD}x"))
  }

  @Test("parses numbers exactly where doubles can")
  func parsesNumbers() throws {
    #expect(try JSONValue(parsing: "0") == 0)
    #expect(try JSONValue(parsing: "-0").numberValue?.sign == .minus)
    #expect(try JSONValue(parsing: "9007199254740993") == .number(9_007_199_254_740_992))
    #expect(try JSONValue(parsing: "1E2") == 100)
    #expect(try JSONValue(parsing: "0.1") == .number(0.1))
    #expect(try JSONValue(parsing: "123456789012345678901234") == .number(1.2345678901234568e23))
  }

  @Test("parses Data and skips a byte order mark")
  func parsesData() throws {
    let data = Data([0xEF, 0xBB, 0xBF]) + Data(#" {"a": 1} "#.utf8)
    #expect(try JSONValue(parsing: data) == ["a": 1])
  }

  @Test(
    "reports syntax errors with line and column",
    arguments: [
      ("", 1, 1, "empty document: expected a JSON value"),
      (
        "{\n  \"a\": 1,\n  \"b\" 2\n}", 3, 7,
        "unexpected character '2': expected ':' after object key"
      ),
      ("[1, 2", 1, 6, "unexpected end of input: expected ',' or ']' after array element"),
      ("[1 2]", 1, 4, "unexpected character '2': expected ',' or ']' after array element"),
      ("{\"a\": 1,}", 1, 9, "unexpected character '}': expected a string key"),
      ("tru", 1, 1, "invalid literal: expected true"),
      ("01", 1, 2, "invalid number: leading zeros are not allowed"),
      ("1.", 1, 3, "invalid number: expected a digit after '.'"),
      ("-", 1, 2, "invalid number: expected a digit"),
      ("1e400", 1, 1, "number out of range: 1e400"),
      ("\"a\nb\"", 1, 3, "control character in string must be escaped"),
      ("\"abc", 1, 5, "unterminated string"),
      ("\"\\x\"", 1, 2, "invalid escape sequence '\\x'"),
      ("\"\\u12G4\"", 1, 6, "invalid \\u escape: expected 4 hex digits"),
      ("{} []", 1, 4, "unexpected character '[' after the value"),
      ("[é]", 1, 2, "unexpected character 'é': expected a value"),
    ])
  func reportsErrors(text: String, line: Int, column: Int, message: String) {
    // act
    let error = #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    // check
    #expect(error?.line == line)
    #expect(error?.column == column)
    #expect(error?.message == message)
  }

  @Test("refuses nesting deeper than 512 levels instead of overflowing the stack")
  func limitsDepth() throws {
    let deep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
    let error = #expect(throws: JSONParseError.self) { try JSONValue(parsing: deep) }
    #expect(error?.message == "nesting deeper than 512 levels")
    let fine = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
    #expect(throws: Never.self) { try JSONValue(parsing: fine) }
  }

  @Test("invalid UTF-8 inside a string is an error")
  func refusesInvalidUTF8() {
    let data = Data([0x22, 0xFF, 0x22])
    let error = #expect(throws: JSONParseError.self) { try JSONValue(parsing: data) }
    #expect(error?.message == "invalid UTF-8 in string")
  }

  @Test("a repeated key keeps its first position and its last value")
  func duplicateKeys() throws {
    let value = try JSONValue(parsing: #"{"a": 1, "b": 2, "a": 3}"#)
    #expect(value.objectValue?.keys == ["a", "b"])
    #expect(value["a"] == 3)
  }
}
