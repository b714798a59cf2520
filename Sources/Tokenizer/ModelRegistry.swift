/// Maps OpenAI model names to their encoding, following tiktoken's `model.py`.
///
/// Exact names are checked first, then prefixes in tiktoken's order, so that dated variants
/// (`gpt-4o-2024-08-06`) and fine-tunes (`ft:gpt-4o-mini:org::id`) resolve without an update.
public enum ModelRegistry {
  /// Models known by their exact name.
  public static let exactModels: [(model: String, encoding: EncodingName)] = [
    ("o1", .o200kBase),
    ("o3", .o200kBase),
    ("o4-mini", .o200kBase),
    ("gpt-5", .o200kBase),
    ("gpt-4.1", .o200kBase),
    ("gpt-4o", .o200kBase),
    ("gpt-4", .cl100kBase),
    ("gpt-3.5-turbo", .cl100kBase),
    ("gpt-3.5", .cl100kBase),
    ("gpt-35-turbo", .cl100kBase),
    ("davinci-002", .cl100kBase),
    ("babbage-002", .cl100kBase),
    ("text-embedding-ada-002", .cl100kBase),
    ("text-embedding-3-small", .cl100kBase),
    ("text-embedding-3-large", .cl100kBase),
  ]

  /// Model-name prefixes, checked in order after the exact names.
  public static let prefixes: [(prefix: String, encoding: EncodingName)] = [
    ("o1-", .o200kBase),
    ("o3-", .o200kBase),
    ("o4-mini-", .o200kBase),
    ("gpt-5", .o200kBase),
    ("gpt-4.5-", .o200kBase),
    ("gpt-4.1-", .o200kBase),
    ("chatgpt-4o-", .o200kBase),
    ("gpt-4o-", .o200kBase),
    ("gpt-4-", .cl100kBase),
    ("gpt-3.5-turbo-", .cl100kBase),
    ("gpt-35-turbo-", .cl100kBase),
    ("ft:gpt-4o", .o200kBase),
    ("ft:gpt-4", .cl100kBase),
    ("ft:gpt-3.5-turbo", .cl100kBase),
    ("ft:davinci-002", .cl100kBase),
    ("ft:babbage-002", .cl100kBase),
  ]

  /// The encoding used by `model`, e.g. `gpt-4o-mini` → `o200k_base`.
  public static func encodingName(forModel model: String) throws(TokenizerError) -> EncodingName {
    if let exact = exactModels.first(where: { $0.model == model }) {
      return exact.encoding
    }
    if let prefixed = prefixes.first(where: { model.hasPrefix($0.prefix) }) {
      return prefixed.encoding
    }
    throw TokenizerError.unknownModel(model)
  }

  static var knownModelsDescription: String {
    let names = exactModels.map(\.model) + prefixes.map { "\($0.prefix)*" }
    return names.joined(separator: ", ")
  }
}
