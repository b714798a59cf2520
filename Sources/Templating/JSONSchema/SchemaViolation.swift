/// One way an instance fails a schema.
public struct SchemaViolation: Sendable, Hashable, CustomStringConvertible {
  /// JSON Pointer into the instance (`""` is the instance itself, `/items/0/name` a member).
  public let pointer: String
  /// Short and specific, e.g. `must be a string, got number` or `missing required property "x"`.
  public let reason: String
  /// What kind of rule was broken, for callers that answer differently (a wrong shape is a
  /// 400, a broken rule a 422) or name the member: never parse `reason` for it.
  public let kind: Kind

  /// The kinds of violation callers tell apart.
  public enum Kind: Sendable, Hashable {
    /// The value has another JSON type than the schema allows.
    case wrongType
    /// A required member is missing.
    case missingProperty(String)
    /// A member the schema does not allow (`additionalProperties: false`).
    case unexpectedProperty(String)
    /// Any other rule: a length, a range, an enum, a pattern, a combinator.
    case rule
  }

  /// A violation at `pointer` in the instance.
  public init(pointer: String, reason: String, kind: Kind = .rule) {
    self.pointer = pointer
    self.reason = reason
    self.kind = kind
  }

  /// `pointer: reason`, with the whole instance shown as `/`.
  public var description: String {
    "\(pointer.isEmpty ? "/" : pointer): \(reason)"
  }
}
