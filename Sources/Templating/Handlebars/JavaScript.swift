/// JavaScript semantics that handlebars.js relies on: `String(x)`, property lookup, `==`,
/// `Object.keys` order and `JSON.stringify`.
enum JavaScript {
  /// `String(value)` as `buffer += value` does it (callers skip null and undefined).
  static func string(_ value: JSONValue?) -> String {
    switch value {
    case nil: return "undefined"
    case .null?: return "null"
    case .bool(let b)?: return b ? "true" : "false"
    case .number(let n)?: return numberString(n)
    case .string(let s)?: return s
    case .array(let items)?:
      var out = ""
      for (i, item) in items.enumerated() {
        if i > 0 { out += "," }
        if case .null = item { continue }
        out += string(item)
      }
      return out
    case .object?: return "[object Object]"
    }
  }

  /// `Number.prototype.toString()`.
  static func numberString(_ d: Double) -> String {
    if d.isNaN { return "NaN" }
    if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
    if d == 0 { return "0" }
    if d.magnitude < 1e15, d == d.rounded() {
      return String(Int64(d))
    }
    let negative = d < 0
    // Shortest round-trip digits from Swift, reformatted with JavaScript's rules.
    let description = "\(d.magnitude)"
    var mantissa = Substring(description)
    var exponent = 0
    if let e = description.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      mantissa = description[..<e]
      exponent = Int(description[description.index(after: e)...]) ?? 0
    }
    var digits = ""
    var pointPosition = mantissa.count
    if let dot = mantissa.firstIndex(of: ".") {
      pointPosition = mantissa.distance(from: mantissa.startIndex, to: dot)
      digits = String(mantissa[..<dot]) + String(mantissa[mantissa.index(after: dot)...])
    } else {
      digits = String(mantissa)
    }
    // Normalise: strip leading zeros (adjusting the point) and trailing zeros.
    var leading = 0
    for ch in digits {
      if ch == "0" { leading += 1 } else { break }
    }
    digits.removeFirst(leading)
    pointPosition -= leading
    while digits.hasSuffix("0") { digits.removeLast() }
    let k = digits.count
    let n = pointPosition + exponent  // value = 0.digits × 10^n
    var out = negative ? "-" : ""
    if k <= n && n <= 21 {
      out += digits + String(repeating: "0", count: n - k)
    } else if 0 < n && n <= 21 {
      let index = digits.index(digits.startIndex, offsetBy: n)
      out += digits[..<index] + "." + digits[index...]
    } else if -6 < n && n <= 0 {
      out += "0." + String(repeating: "0", count: -n) + digits
    } else {
      let e = n - 1
      let first = digits.prefix(1)
      let rest = digits.dropFirst()
      out += first + (rest.isEmpty ? "" : "." + rest) + "e" + (e < 0 ? "-" : "+") + String(abs(e))
    }
    return out
  }

  /// Whether `key` is an array index ("0", "1", … without leading zeros).
  static func arrayIndex(_ key: String) -> Int? {
    let utf8 = key.utf8
    guard let first = utf8.first, utf8.count <= 10 else { return nil }
    if first == UInt8(ascii: "0") { return utf8.count == 1 ? 0 : nil }
    var value = 0
    for byte in utf8 {
      guard byte >= 48 && byte <= 57 else { return nil }
      value = value * 10 + Int(byte - 48)
    }
    return value < 4_294_967_295 ? value : nil
  }

  /// `Object.keys(object)` order: array indices ascending, then the other keys in insertion order.
  static func orderedEntries(_ entries: [(key: String, value: JSONValue)])
    -> [(key: String, value: JSONValue)]
  {
    var indexed: [(Int, (key: String, value: JSONValue))] = []
    var named: [(key: String, value: JSONValue)] = []
    named.reserveCapacity(entries.count)
    for entry in entries {
      if let index = arrayIndex(entry.key) {
        indexed.append((index, entry))
      } else {
        named.append(entry)
      }
    }
    if indexed.isEmpty { return named }
    indexed.sort { $0.0 < $1.0 }
    return indexed.map(\.1) + named
  }

  /// handlebars.js `lookupProperty(parent, name)`: own properties only (array and string
  /// indices and `length` included).
  static func property(_ parent: Value, _ name: String) -> Value {
    switch parent.json {
    case .object?:
      if let member = parent.json?.objectMember(name) {
        return Value.member(member, parent: parent.id, key: name)
      }
      return .undefined
    case .array(let items)?:
      if let index = arrayIndex(name) {
        return index < items.count
          ? Value.element(items[index], parent: parent.id, index: index) : .undefined
      }
      if name == "length" { return .number(Double(items.count)) }
      return .undefined
    case .string(let s)?:
      if let index = arrayIndex(name) {
        let units = Array(s.utf16)
        guard index < units.count else { return .undefined }
        let unit = units[index]
        if UTF16.isLeadSurrogate(unit) || UTF16.isTrailSurrogate(unit) {
          return .string("\u{FFFD}")
        }
        return .string(String(decoding: [unit], as: UTF16.self))
      }
      if name == "length" { return .number(Double(s.utf16.count)) }
      return .undefined
    default:
      return .undefined
    }
  }

  /// JavaScript's `a == b`, with objects compared by identity.
  static func looselyEqual(_ a: Value, _ b: Value) -> Bool {
    switch (a.json, b.json) {
    case (nil, nil), (nil, .null?), (.null?, nil), (.null?, .null?): return true
    case (nil, _), (.null?, _), (_, nil), (_, .null?): return false
    case (.array?, .array?), (.object?, .object?), (.array?, .object?), (.object?, .array?):
      return a.id == b.id && a.id != 0
    case (.array?, _), (.object?, _):
      return looselyEqual(Value(.string(string(a.json))), b)
    case (_, .array?), (_, .object?):
      return looselyEqual(a, Value(.string(string(b.json))))
    case (.string(let x)?, .string(let y)?): return x.unicodeScalars.elementsEqual(y.unicodeScalars)
    case (.bool(let x)?, .bool(let y)?): return x == y
    default: return toNumber(a.json) == toNumber(b.json)
    }
  }

  /// `Number(value)` for primitives.
  static func toNumber(_ value: JSONValue?) -> Double {
    switch value {
    case nil: return .nan
    case .null?: return 0
    case .bool(let b)?: return b ? 1 : 0
    case .number(let n)?: return n
    case .string(let s)?: return stringToNumber(s)
    case .array?, .object?: return stringToNumber(string(value))
    }
  }

  static func stringToNumber(_ s: String) -> Double {
    let trimmed = s.unicodeScalars.drop(while: isWhitespace).reversed().drop(while: isWhitespace)
      .reversed()
    let text = String(String.UnicodeScalarView(trimmed))
    if text.isEmpty { return 0 }
    if text == "Infinity" || text == "+Infinity" { return .infinity }
    if text == "-Infinity" { return -.infinity }
    let lower = text.lowercased()
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where lower.hasPrefix(prefix) {
      guard let v = UInt64(lower.dropFirst(2), radix: radix) else { return .nan }
      return Double(v)
    }
    let allowed = Set("0123456789+-.eE")
    guard text.allSatisfy({ allowed.contains($0) }), text.contains(where: \.isNumber) else {
      return .nan
    }
    return Double(text) ?? .nan
  }

  /// JavaScript's `\s`.
  static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x09...0x0D, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
      0xFEFF:
      return true
    default:
      return false
    }
  }

  /// `JSON.stringify(value, null, 2)`; nil when it would be longer than `maxBytes` of UTF-8
  /// (indentation grows with depth, so a deep value prints much longer than its source).
  static func prettyJSON(_ value: JSONValue, maxBytes: Int = .max) -> String? {
    var out = ""
    guard writeJSON(value, indent: "", into: &out, maxBytes: maxBytes) else { return nil }
    return out
  }

  /// Writes `value`; false as soon as `out` passes `maxBytes`.
  private static func writeJSON(
    _ value: JSONValue, indent: String, into out: inout String, maxBytes: Int
  ) -> Bool {
    switch value {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .number(let n): out += n.isFinite ? numberString(n) : "null"
    case .string(let s): quote(s, into: &out)
    case .array(let items):
      if items.isEmpty {
        out += "[]"
        return out.utf8.count <= maxBytes
      }
      let inner = indent + "  "
      out += "[\n"
      for (i, item) in items.enumerated() {
        if i > 0 { out += ",\n" }
        out += inner
        guard writeJSON(item, indent: inner, into: &out, maxBytes: maxBytes) else { return false }
      }
      out += "\n" + indent + "]"
    case .object:
      let entries = orderedEntries(value.objectEntries ?? [])
      if entries.isEmpty {
        out += "{}"
        return out.utf8.count <= maxBytes
      }
      let inner = indent + "  "
      out += "{\n"
      for (i, entry) in entries.enumerated() {
        if i > 0 { out += ",\n" }
        out += inner
        quote(entry.key, into: &out)
        out += ": "
        guard writeJSON(entry.value, indent: inner, into: &out, maxBytes: maxBytes) else {
          return false
        }
      }
      out += "\n" + indent + "}"
    }
    return out.utf8.count <= maxBytes
  }

  /// JSON string quoting as `JSON.stringify` does it.
  static func quote(_ s: String, into out: inout String) {
    out += "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\u{08}": out += "\\b"
      case "\u{0C}": out += "\\f"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    out += "\""
  }
}
