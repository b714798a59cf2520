import Templating
import Tokenizer

/// `{{truncateTokens value N}}` in a model's encoding: the tokenizer, seen by the renderer.
struct EncodingTruncator: TokenTruncator {
  let encoding: Encoding

  func truncate(_ text: String, toTokens limit: Int) -> (text: String, removed: Int) {
    encoding.truncate(text, toTokens: limit)
  }
}
