/// The wording of violation reasons: short, specific, and the same everywhere.
enum ViolationReason {
  static let falseSchema = "not allowed here (the schema is false)"
  static let not = "must not match the schema in \"not\""

  static func tooDeep(_ limit: Int) -> String {
    "cannot be checked: the value and the schema nest more than \(limit) levels deep"
  }

  static func tooComplex(_ limit: Int) -> String {
    "cannot be checked: the schema needs more than \(limit) steps for this value"
  }

  static func tooSlow(_ milliseconds: Int64) -> String {
    "cannot be checked: the schema takes longer than \(milliseconds) ms for this value"
  }

  static func type(_ names: [String], got value: JSONValue) -> String {
    let wanted = names.map(article)
    let list: String
    if wanted.count <= 2 {
      list = wanted.joined(separator: " or ")
    } else {
      list = wanted.dropLast().joined(separator: ", ") + " or " + wanted[wanted.count - 1]
    }
    return "must be \(list), got \(value.typeName)"
  }

  static func enumeration(_ values: [JSONValue]) -> String {
    if values.isEmpty { return "no value is allowed (enum is empty)" }
    if values.count == 1 { return "must be \(excerpt(values[0]))" }
    let shown = values.prefix(10).map(excerpt).joined(separator: ", ")
    return "must be one of \(shown)\(values.count > 10 ? ", …" : "")"
  }

  static func constant(_ value: JSONValue) -> String {
    "must be \(excerpt(value))"
  }

  static func minLength(_ limit: Int) -> String {
    "must be at least \(limit) \(limit == 1 ? "character" : "characters")"
  }

  static func maxLength(_ limit: Int) -> String {
    "must be at most \(limit) \(limit == 1 ? "character" : "characters")"
  }

  static func pattern(_ source: String) -> String {
    var quoted = ""
    JSONValue.writeQuoted(source, into: &quoted)
    return "must match pattern \(quoted)"
  }

  static func bound(_ comparison: String, _ limit: Double) -> String {
    "must be \(comparison) \(JSONValue.javaScriptString(limit))"
  }

  static func missingProperty(_ name: String) -> String {
    "missing required property \(quote(name))"
  }

  static func unexpectedProperty(_ name: String) -> String {
    "unexpected property \(quote(name))"
  }

  static func minItems(_ limit: Int) -> String {
    "must have at least \(limit) \(limit == 1 ? "item" : "items")"
  }

  static func maxItems(_ limit: Int) -> String {
    "must have at most \(limit) \(limit == 1 ? "item" : "items")"
  }

  static func uniqueItems(_ first: Int, _ second: Int) -> String {
    "items must be unique (items \(first) and \(second) are equal)"
  }

  static func noItemsAllowed(_ count: Int) -> String {
    "must be empty (items is false), got \(count) \(count == 1 ? "item" : "items")"
  }

  static func anyOf(_ count: Int) -> String {
    "must match at least one of the \(count) schemas in \"anyOf\""
  }

  static func oneOf(_ count: Int, matching: [Int]) -> String {
    if matching.isEmpty {
      return "must match exactly one of the \(count) schemas in \"oneOf\", matched none"
    }
    let list = matching.map(String.init).joined(separator: ", ")
    return "must match exactly one of the \(count) schemas in \"oneOf\", matched \(matching.count) "
      + "(\(list))"
  }

  private static func article(_ typeName: String) -> String {
    switch typeName {
    case "null": "null"
    case "integer", "array", "object": "an \(typeName)"
    default: "a \(typeName)"
    }
  }

  private static func quote(_ text: String) -> String {
    var quoted = ""
    JSONValue.writeQuoted(text, into: &quoted)
    return quoted
  }

  /// Compact JSON of `value`, cut to keep messages short.
  private static func excerpt(_ value: JSONValue) -> String {
    let text = value.compactJSON
    guard text.count > 60 else { return text }
    return String(text.prefix(57)) + "…"
  }
}
