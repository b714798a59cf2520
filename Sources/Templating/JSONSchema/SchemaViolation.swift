/// One way an instance fails a schema.
public struct SchemaViolation: Sendable, Hashable, CustomStringConvertible {
  /// JSON Pointer into the instance (`""` is the instance itself, `/items/0/name` a member).
  public let pointer: String
  /// Short and specific, e.g. `must be a string, got number` or `missing required property "x"`.
  public let reason: String

  /// A violation at `pointer` in the instance.
  public init(pointer: String, reason: String) {
    self.pointer = pointer
    self.reason = reason
  }

  /// `pointer: reason`, with the whole instance shown as `/`.
  public var description: String {
    "\(pointer.isEmpty ? "/" : pointer): \(reason)"
  }
}
