/// The byte-pair encodings this target implements, named as tiktoken names them.
public enum EncodingName: String, CaseIterable, Sendable {
  /// GPT-3.5 and GPT-4 (`gpt-3.5-turbo`, `gpt-4`, `gpt-4-turbo`, the embedding models).
  case cl100kBase = "cl100k_base"
  /// GPT-4o, GPT-4.1, GPT-4.5, GPT-5 and the o-series reasoning models.
  case o200kBase = "o200k_base"
}
