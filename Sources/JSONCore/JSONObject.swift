/// A JSON object that keeps its keys in insertion order.
///
/// Handlebars iterates objects in insertion order and JSON output should round-trip, so a plain
/// `Dictionary` will not do. Lookup is a linear scan for small objects (faster than hashing for a
/// handful of keys) and goes through a key index once the object grows.
/// Equality ignores key order, as JSON equality does.
public struct JSONObject: Sendable, Hashable {
  /// The keys, in insertion order.
  public private(set) var keys: [String] = []
  /// The values, in the order of ``keys``.
  public private(set) var values: [JSONValue] = []
  /// Position of each key; only built past `indexThreshold` keys.
  private var positions: [String: Int]?

  private static let indexThreshold = 8

  /// An empty object.
  public init() {}

  /// An object from key-value pairs; a repeated key keeps its first position and its last value
  /// (as `JSON.parse` does).
  public init<S: Sequence>(_ pairs: S) where S.Element == (String, JSONValue) {
    for (key, value) in pairs { self[key] = value }
  }

  /// The number of members.
  public var count: Int { keys.count }

  /// Whether the object has no members.
  public var isEmpty: Bool { keys.isEmpty }

  /// The members in insertion order.
  public var pairs: [(key: String, value: JSONValue)] {
    Array(zip(keys, values))
  }

  /// The position of `key` in ``keys``, if present.
  public func position(of key: String) -> Int? {
    if let positions { return positions[key] }
    for (offset, candidate) in keys.enumerated() where candidate == key { return offset }
    return nil
  }

  /// Whether the object has a member named `key`.
  public func contains(_ key: String) -> Bool { position(of: key) != nil }

  /// The value of `key`; assigning `nil` removes the member, assigning a new key appends it.
  public subscript(key: String) -> JSONValue? {
    get {
      guard let offset = position(of: key) else { return nil }
      return values[offset]
    }
    set {
      if let newValue {
        updateValue(newValue, forKey: key)
      } else {
        removeValue(forKey: key)
      }
    }
  }

  /// Sets the value of `key`, keeping its position if present and appending it otherwise.
  /// Returns the previous value.
  @discardableResult
  public mutating func updateValue(_ value: JSONValue, forKey key: String) -> JSONValue? {
    if let offset = position(of: key) {
      let old = values[offset]
      values[offset] = value
      return old
    }
    keys.append(key)
    values.append(value)
    if positions != nil {
      positions?[key] = keys.count - 1
    } else if keys.count > Self.indexThreshold {
      positions = Dictionary(
        keys.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
    }
    return nil
  }

  /// Removes the member named `key` and returns its value (O(n): later keys move up).
  @discardableResult
  public mutating func removeValue(forKey key: String) -> JSONValue? {
    guard let offset = position(of: key) else { return nil }
    keys.remove(at: offset)
    let old = values.remove(at: offset)
    if positions != nil {
      positions =
        keys.count > Self.indexThreshold
        ? Dictionary(
          keys.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first }
        )
        : nil
    }
    return old
  }
}

// MARK: - Collection

extension JSONObject: RandomAccessCollection {
  public typealias Element = (key: String, value: JSONValue)

  public var startIndex: Int { 0 }
  public var endIndex: Int { keys.count }

  public subscript(position: Int) -> (key: String, value: JSONValue) {
    (keys[position], values[position])
  }
}

// MARK: - Equality

extension JSONObject {
  public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
    guard lhs.count == rhs.count else { return false }
    for (key, value) in lhs {
      guard let other = rhs[key], other == value else { return false }
    }
    return true
  }

  public func hash(into hasher: inout Hasher) {
    // Order-insensitive: combine the members' hashes commutatively.
    var sum = 0
    for (key, value) in self {
      var member = Hasher()
      member.combine(key)
      member.combine(value)
      sum &+= member.finalize()
    }
    hasher.combine(count)
    hasher.combine(sum)
  }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
  public init(dictionaryLiteral elements: (String, JSONValue)...) {
    self.init(elements)
  }
}
