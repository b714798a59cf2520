/// Promptsmith's own helpers. The same semantics are registered in JavaScript by
/// `scripts/gen-templating-fixtures.py`, so the differential corpus checks both.
enum PromptHelpers {
  /// Truthiness for `and`, `or`, `not` and `default`: JavaScript's, with an empty list falsy.
  static func truthy(_ value: Value) -> Bool {
    if case .array(let items)? = value.json { return !items.isEmpty }
    return value.isTruthy
  }

  /// `String(v)`, with null and undefined as "".
  static func text(_ value: Value) -> String {
    value.isNullish ? "" : JavaScript.string(value.json)
  }

  /// Calls `helper`; nil when its result would be longer than `maxBytes` of UTF-8 (`join` with a
  /// long separator or `json` of a deep value can grow far beyond their input).
  static func call(_ helper: Helper, args: [Value], maxBytes: Int) -> Value? {
    func arg(_ i: Int) -> Value { i < args.count ? args[i] : .undefined }
    switch helper {
    case .eq: return .bool(deepEqual(arg(0).json, arg(1).json))
    case .ne: return .bool(!deepEqual(arg(0).json, arg(1).json))
    case .and: return .bool(!args.isEmpty && args.allSatisfy(truthy))
    case .or: return .bool(args.contains(where: truthy))
    case .not: return .bool(!truthy(arg(0)))
    case .json:
      guard let value = arg(0).json else { return .string("") }
      return JavaScript.prettyJSON(value, maxBytes: maxBytes).map(Value.string)
    case .join:
      let separator = args.count > 1 ? text(args[1]) : ", "
      guard case .array(let items)? = arg(0).json else { return .string(text(arg(0))) }
      return joined(items.map { text(Value($0)) }, separator: separator, maxBytes: maxBytes)
    case .default:
      let value = arg(0)
      switch value.json {
      case nil, .null?: return arg(1)
      case .string(let s)? where s.isEmpty: return arg(1)
      case .array(let items)? where items.isEmpty: return arg(1)
      default: return value
      }
    case .upper: return .string(text(arg(0)).uppercased())
    case .lower: return .string(text(arg(0)).lowercased())
    case .truncate:
      let value = text(arg(0))
      let limit = JavaScript.toNumber(arg(1).json).rounded(.down)
      guard limit >= 0 else { return .string(value) }
      let scalars = value.unicodeScalars
      guard Double(scalars.count) > limit else { return .string(value) }
      let cut = scalars.index(scalars.startIndex, offsetBy: Int(limit))
      return .string(String(scalars[..<cut]) + "…")
    case .bullets:
      let value = arg(0)
      switch value.json {
      case nil, .null?: return .string("")
      case .string(let s)? where s.isEmpty: return .string("")
      case .array(let items)?:
        return joined(items.map { "- " + text(Value($0)) }, separator: "\n", maxBytes: maxBytes)
      default:
        return .string("- " + text(value))
      }
    default:
      return .undefined
    }
  }

  /// `parts` joined by `separator`, or nil as soon as the result passes `maxBytes`.
  static func joined(_ parts: [String], separator: String, maxBytes: Int) -> Value? {
    var out = ""
    for (index, part) in parts.enumerated() {
      if index > 0 { out += separator }
      out += part
      if out.utf8.count > maxBytes { return nil }
    }
    return .string(out)
  }

  /// Structural equality without type coercion; object key order does not matter.
  static func deepEqual(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
    switch (a, b) {
    case (nil, nil): return true
    case (nil, _), (_, nil): return false
    case (.number(let x)?, .number(let y)?): return x == y
    case (.string(let x)?, .string(let y)?): return x.unicodeScalars.elementsEqual(y.unicodeScalars)
    case (.array(let x)?, .array(let y)?):
      return x.count == y.count && zip(x, y).allSatisfy { deepEqual($0, $1) }
    case (.object?, .object?):
      guard let x = a?.objectEntries, let y = b else { return false }
      guard x.count == y.objectCount else { return false }
      return x.allSatisfy { entry in
        guard let other = y.objectMember(entry.key) else { return false }
        return deepEqual(entry.value, other)
      }
    default:
      return a == b
    }
  }
}
