import Foundation

/// A UUID's 36 characters of text, read and written without Foundation's C helpers: its
/// `UUID(uuidString:)` parses with `sscanf` and its `uuidString` formats with `snprintf`,
/// together 1 % of `POST /prompts/generate`'s event-loop CPU (perf, 2026-12-07), with a
/// `lowercased()` copy after most of them.
extension UUID {
  /// The UUID of `text`: 32 hexadecimal digits in either case, hyphens after the 8th, 12th,
  /// 16th and 20th; nil for anything else. Foundation's `UUID(uuidString:)` takes the same,
  /// and also a sign or `0x` in a pair of digits (`sscanf`'s `%2hhx`), which this refuses.
  init?(text: String) {
    var text = text
    guard let parsed = text.withUTF8({ Self.parse($0) }) else { return nil }
    self.init(uuid: parsed)
  }

  /// The hyphenated text in lowercase, as the API spells ids.
  var lowercasedText: String {
    String(unsafeUninitializedCapacity: 36) { buffer in
      write(into: buffer, digits: Self.lowercaseDigits)
      return 36
    }
  }

  /// Writes the hyphenated text, in `uppercase` digits or lowercase, into the first 36 bytes of
  /// `buffer`.
  func write(into buffer: UnsafeMutableBufferPointer<UInt8>, uppercase: Bool) {
    write(into: buffer, digits: uppercase ? Self.uppercaseDigits : Self.lowercaseDigits)
  }

  private func write(into buffer: UnsafeMutableBufferPointer<UInt8>, digits: StaticString) {
    precondition(buffer.count >= 36)
    let digits = digits.utf8Start
    withUnsafeBytes(of: uuid) { bytes in
      var position = 0
      for offset in 0..<16 {
        if offset == 4 || offset == 6 || offset == 8 || offset == 10 {
          buffer[position] = UInt8(ascii: "-")
          position += 1
        }
        buffer[position] = digits[Int(bytes[offset] >> 4)]
        buffer[position + 1] = digits[Int(bytes[offset] & 0x0F)]
        position += 2
      }
    }
  }

  private static let lowercaseDigits: StaticString = "0123456789abcdef"
  private static let uppercaseDigits: StaticString = "0123456789ABCDEF"

  private static func parse(_ text: UnsafeBufferPointer<UInt8>) -> uuid_t? {
    guard text.count == 36 else { return nil }
    var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    let valid = withUnsafeMutableBytes(of: &uuid) { bytes -> Bool in
      var position = 0
      for offset in 0..<16 {
        if offset == 4 || offset == 6 || offset == 8 || offset == 10 {
          guard text[position] == UInt8(ascii: "-") else { return false }
          position += 1
        }
        guard let high = hexValue(text[position]), let low = hexValue(text[position + 1]) else {
          return false
        }
        bytes[offset] = high << 4 | low
        position += 2
      }
      return true
    }
    return valid ? uuid : nil
  }

  private static func hexValue(_ character: UInt8) -> UInt8? {
    switch character {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): character &- UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): character &- UInt8(ascii: "a") &+ 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): character &- UInt8(ascii: "A") &+ 10
    default: nil
    }
  }
}
