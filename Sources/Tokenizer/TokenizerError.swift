/// Errors raised when an encoding cannot be chosen or loaded.
public enum TokenizerError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The model name matches no known model or model prefix.
  case unknownModel(String)
  /// The encoding name is not one of ``EncodingName``.
  case unknownEncoding(String)
  /// The vocabulary resource is missing or malformed; the message says which and why.
  case vocabularyUnavailable(String)

  public var description: String {
    switch self {
    case .unknownModel(let model):
      return "Unknown model '\(model)'. Known models: \(ModelRegistry.knownModelsDescription); "
        + "or choose an encoding explicitly (\(EncodingName.allNamesDescription))."
    case .unknownEncoding(let name):
      return "Unknown encoding '\(name)'. Known encodings: \(EncodingName.allNamesDescription)."
    case .vocabularyUnavailable(let reason):
      return "Tokenizer vocabulary unavailable: \(reason)"
    }
  }
}

extension EncodingName {
  static var allNamesDescription: String {
    allCases.map(\.rawValue).joined(separator: ", ")
  }
}
