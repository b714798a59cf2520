/// Why a JSON Schema was refused: invalid, unsupported, or with a bad `$ref`.
public struct SchemaError: Error, Sendable, Hashable, CustomStringConvertible {
  /// JSON Pointer to the offending place in the schema (`""` is the schema itself).
  public let pointer: String
  /// What is wrong, e.g. `unsupported keyword "format"`.
  public let message: String

  /// An error at `pointer` in the schema.
  public init(pointer: String, message: String) {
    self.pointer = pointer
    self.message = message
  }

  /// `message at pointer`, or just the message when it concerns the whole schema.
  public var description: String {
    pointer.isEmpty ? message : "\(message) at \(pointer)"
  }
}
