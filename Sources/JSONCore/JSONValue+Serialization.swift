extension JSONValue {
  /// Compact JSON, byte for byte what JavaScript's `JSON.stringify(value)` produces.
  public var compactJSON: String {
    var output = ""
    Self.write(self, into: &output, indent: nil, level: 0)
    return output
  }

  /// Pretty JSON, byte for byte what JavaScript's `JSON.stringify(value, null, 2)` produces.
  public var prettyJSON: String {
    var output = ""
    Self.write(self, into: &output, indent: "  ", level: 0)
    return output
  }

  /// JSON text; `indent` nil means compact, otherwise the unit of indentation (as the third
  /// argument of `JSON.stringify`).
  public func serialized(indent: String? = nil) -> String {
    var output = ""
    Self.write(self, into: &output, indent: indent.flatMap { $0.isEmpty ? nil : $0 }, level: 0)
    return output
  }

  /// Formats a number as JavaScript's `String(number)` does: integers without `.0`, otherwise the
  /// shortest digits that round-trip, with exponents outside 1e-7...1e21 (`1e+21`, `1.5e-7`).
  /// `NaN` and infinities print as JavaScript names them.
  public static func javaScriptString(_ number: Double) -> String {
    if number.isNaN { return "NaN" }
    if number.isInfinite { return number < 0 ? "-Infinity" : "Infinity" }
    if number == 0 { return "0" }  // also -0, as JavaScript prints it
    if number.rounded(.towardZero) == number, abs(number) < 1e15 {
      return String(Int64(number))  // fast path, exact
    }
    // Decompose Swift's shortest round-trip representation into digits and a decimal exponent.
    var text = "\(abs(number))"
    var exponent = 0
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      exponent = Int(text[text.index(after: e)...]) ?? 0
      text = String(text[..<e])
    }
    var digits = ""
    var pointPosition = 0  // digits before the decimal point
    var seenPoint = false
    for character in text {
      if character == "." {
        seenPoint = true
      } else {
        digits.append(character)
        if !seenPoint { pointPosition += 1 }
      }
    }
    // Strip leading zeros (moving the point) and trailing zeros.
    while digits.first == "0" {
      digits.removeFirst()
      pointPosition -= 1
    }
    while digits.last == "0" { digits.removeLast() }
    let k = digits.count
    let n = pointPosition + exponent  // value = 0.digits × 10^n
    var result = number < 0 ? "-" : ""
    if k <= n && n <= 21 {
      result += digits + String(repeating: "0", count: n - k)
    } else if 0 < n && n <= 21 {
      let split = digits.index(digits.startIndex, offsetBy: n)
      result += digits[..<split] + "." + digits[split...]
    } else if -6 < n && n <= 0 {
      result += "0." + String(repeating: "0", count: -n) + digits
    } else {
      let e = n - 1
      let sign = e < 0 ? "-" : "+"
      let head = digits.prefix(1)
      let tail = digits.dropFirst()
      result += head + (tail.isEmpty ? "" : "." + tail) + "e" + sign + String(abs(e))
    }
    return result
  }

  /// Appends `string` as a JSON string literal, escaping as `JSON.stringify` does.
  public static func writeQuoted(_ string: String, into output: inout String) {
    output.append("\"")
    var bytes = string
    bytes.withUTF8 { utf8 in
      JSONEscaping.escape(utf8, escapingSlash: false) { run in
        // Runs are cut at ASCII bytes only, so each is a whole slice of the string.
        let view = string.utf8
        let start = view.index(view.startIndex, offsetBy: run.lowerBound)
        output.append(contentsOf: string[start..<view.index(start, offsetBy: run.count)])
      } write: { escape in
        output.append(String(decoding: escape, as: UTF8.self))
      }
    }
    output.append("\"")
  }

  private static func write(
    _ value: JSONValue, into output: inout String, indent: String?, level: Int
  ) {
    switch value {
    case .null:
      output.append("null")
    case .bool(let bool):
      output.append(bool ? "true" : "false")
    case .number(let number):
      // JSON.stringify writes non-finite numbers as null.
      output.append(number.isFinite ? javaScriptString(number) : "null")
    case .string(let string):
      writeQuoted(string, into: &output)
    case .array(let array):
      guard !array.isEmpty else {
        output.append("[]")
        return
      }
      output.append("[")
      for (offset, element) in array.enumerated() {
        if offset > 0 { output.append(",") }
        newline(into: &output, indent: indent, level: level + 1)
        write(element, into: &output, indent: indent, level: level + 1)
      }
      newline(into: &output, indent: indent, level: level)
      output.append("]")
    case .object(let object):
      guard !object.isEmpty else {
        output.append("{}")
        return
      }
      output.append("{")
      for (offset, member) in object.enumerated() {
        if offset > 0 { output.append(",") }
        newline(into: &output, indent: indent, level: level + 1)
        writeQuoted(member.key, into: &output)
        output.append(indent == nil ? ":" : ": ")
        write(member.value, into: &output, indent: indent, level: level + 1)
      }
      newline(into: &output, indent: indent, level: level)
      output.append("}")
    }
  }

  private static func newline(into output: inout String, indent: String?, level: Int) {
    guard let indent else { return }
    output.append("\n")
    for _ in 0..<level { output.append(indent) }
  }
}

extension JSONValue: CustomStringConvertible {
  /// The compact JSON text.
  public var description: String { compactJSON }
}
