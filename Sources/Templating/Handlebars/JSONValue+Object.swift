// The only place that touches the shape of JSONValue's object storage, so that a change there
// needs one edit here.

extension JSONValue {
  /// Builds an object value from ordered pairs.
  static func orderedObject(_ pairs: [(String, JSONValue)]) -> JSONValue {
    .object(JSONObject(pairs))
  }

  /// The object's entries in insertion order, or nil when this is not an object.
  var objectEntries: [(key: String, value: JSONValue)]? {
    if case .object(let object) = self { return object.pairs }
    return nil
  }

  /// The member named `key` of an object, or nil.
  func objectMember(_ key: String) -> JSONValue? {
    guard case .object(let object) = self else { return nil }
    // A linear scan beats hashing (which normalises the key) for the sizes prompts use.
    if object.keys.count <= 32 {
      let keys = object.keys
      for index in keys.indices where keys[index] == key { return object.values[index] }
      return nil
    }
    return object[key]
  }

  /// Number of members of an object (0 for other values).
  var objectCount: Int {
    if case .object(let object) = self { return object.keys.count }
    return 0
  }
}
