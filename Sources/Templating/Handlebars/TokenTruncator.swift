/// Cuts text to a number of tokens of a model's encoding, for `{{truncateTokens value N}}`;
/// the tokenizer lives outside this target, so the caller of `render` supplies it.
public protocol TokenTruncator: Sendable {
  /// `text` cut to at most `limit` tokens, and how many tokens were left out.
  func truncate(_ text: String, toTokens limit: Int) -> (text: String, removed: Int)
}

extension TokenTruncator {
  /// The text with a visible marker of the cut: `… [truncated 1,234 tokens]`.
  func truncatedWithMarker(_ text: String, toTokens limit: Int) -> String {
    let (kept, removed) = truncate(text, toTokens: limit)
    guard removed > 0 else { return text }
    return kept + "… [truncated \(Self.grouped(removed)) tokens]"
  }

  /// 1234567 → "1,234,567", whatever the locale.
  static func grouped(_ number: Int) -> String {
    let digits = Array(String(number))
    var out = ""
    for (index, digit) in digits.enumerated() {
      if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
      out.append(digit)
    }
    return out
  }
}
