/// Shared encodings, loaded lazily and once.
extension Encoding {
  /// Swift's global and static `let`s are initialised lazily and exactly once, thread-safely,
  /// so each vocabulary is parsed only when first needed and then shared by every caller.
  private static let cl100kBase = Result { () throws(TokenizerError) in
    Encoding(name: .cl100kBase, vocabulary: try VocabularyLoader.load(.cl100kBase))
  }
  private static let o200kBase = Result { () throws(TokenizerError) in
    Encoding(name: .o200kBase, vocabulary: try VocabularyLoader.load(.o200kBase))
  }

  /// The shared encoding `name`, loading its vocabulary on first use.
  public static func named(_ name: EncodingName) throws(TokenizerError) -> Encoding {
    switch name {
    case .cl100kBase: return try cl100kBase.get()
    case .o200kBase: return try o200kBase.get()
    }
  }

  /// The shared encoding called `name` (`cl100k_base` or `o200k_base`).
  public static func named(_ name: String) throws(TokenizerError) -> Encoding {
    guard let known = EncodingName(rawValue: name) else {
      throw TokenizerError.unknownEncoding(name)
    }
    return try named(known)
  }

  /// The shared encoding used by an OpenAI model, e.g. `gpt-4o` or `gpt-3.5-turbo-0125`.
  public static func forModel(_ model: String) throws(TokenizerError) -> Encoding {
    try named(ModelRegistry.encodingName(forModel: model))
  }
}
