/// A value while rendering: a JSON value or JavaScript's `undefined` (nil), with an identity.
///
/// handlebars.js compares contexts by reference when it decides whether `../` skips a block;
/// JSON data has no aliasing, so the access path from the root identifies an object. `id` is a
/// hash of that path for arrays and objects, 0 for primitives.
struct Value: Sendable {
  var json: JSONValue?
  var id: UInt64

  static let undefined = Value(json: nil, id: 0)
  static let null = Value(json: .null, id: 0)
  /// handlebars.js' `container.nullContext`: the `this` of a helper called on a null context.
  static let nullContext = Value(json: .orderedObject([]), id: 1)

  init(json: JSONValue?, id: UInt64) {
    self.json = json
    self.id = id
  }

  init(_ json: JSONValue?) {
    self.json = json
    self.id = 0
  }

  /// `@partial-block`, a function in handlebars.js: truthy like an object, and called where
  /// handlebars.js calls functions (a mustache, `if`, `unless`, `with`, `each`). Its identity
  /// says which block (`PartialBlockCall.id`): a field of its own would make every value
  /// larger, and values are copied at every step of a render.
  static func function(_ call: PartialBlockCall) -> Value {
    Value(json: .orderedObject([]), id: call.id)
  }

  /// For `@partial-block`, the renderer's index of its block. Identities ending in binary 01
  /// are free: containers' end in 1x, primitives' are 0 and `nullContext`'s is 1.
  var functionIndex: Int? {
    id & 3 == 1 && id > 1 ? Int(truncatingIfNeeded: id >> 2) - 1 : nil
  }

  static func bool(_ value: Bool) -> Value { Value(.bool(value)) }
  static func string(_ value: String) -> Value { Value(.string(value)) }
  static func number(_ value: Double) -> Value { Value(.number(value)) }

  /// `value == null` in JavaScript (null or undefined).
  var isNullish: Bool {
    switch json {
    case nil, .null?: return true
    default: return false
    }
  }

  /// JavaScript truthiness.
  var isTruthy: Bool {
    switch json {
    case nil, .null?: return false
    case .bool(let b)?: return b
    case .number(let n)?: return !(n == 0 || n.isNaN)
    case .string(let s)?: return !s.isEmpty
    case .array?, .object?: return true
    }
  }

  /// handlebars.js `Utils.isEmpty`: falsy but not 0, or an empty array.
  var isEmpty: Bool {
    if case .number(let n)? = json, n == 0 { return false }
    if !isTruthy { return true }
    if case .array(let a)? = json, a.isEmpty { return true }
    return false
  }

  var isArray: Bool {
    if case .array? = json { return true }
    return false
  }

  var isObjectLike: Bool {
    switch json {
    case .array?, .object?: return true
    default: return false
    }
  }

  /// The identity of a member reached from `parent` through `key`.
  static func childID(_ parent: UInt64, _ key: String) -> UInt64 {
    var hash: UInt64 = parent &* 0x100_0000_01b3 ^ 0xcbf2_9ce4_8422_2325
    for byte in key.utf8 {
      hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
    }
    return hash | 2
  }

  static func childID(_ parent: UInt64, _ index: Int) -> UInt64 {
    var hash = parent &* 0x9e37_79b9_7f4a_7c15
    hash ^= UInt64(index) &+ 0x632b_e59b_d9b4_e019
    return (hash &* 0x100_0000_01b3) | 2
  }

  /// Wraps a member value, giving containers their identity.
  static func member(_ json: JSONValue, parent: UInt64, key: String) -> Value {
    switch json {
    case .array, .object: return Value(json: json, id: childID(parent, key))
    default: return Value(json: json, id: 0)
    }
  }

  static func element(_ json: JSONValue, parent: UInt64, index: Int) -> Value {
    switch json {
    case .array, .object: return Value(json: json, id: childID(parent, index))
    default: return Value(json: json, id: 0)
    }
  }
}
