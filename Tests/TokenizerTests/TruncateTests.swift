import Testing

@testable import Tokenizer

/// `truncate(_:toTokens:)`: the longest whole-token prefix that ends between two characters
/// (graphemes) and counts at most the limit on its own, on text whose characters span several
/// tokens (CJK, Cyrillic, Arabic, emoji with skin tones and joiners).
@Suite struct TruncateTests {
  static let texts = [
    "Export invoices as CSV: one row per invoice, UTF-8, with a header row.",
    "請求書をCSVで書き出す。ヘッダー行、UTF-8、一行に一件。",
    "Готово 🎉🎉 — отчёт 📊 за квартал, 👩🏽‍💻 проверила.",
    "مرحبا بالعالم 🌍 and   mixed\twhitespace\n\n  code: let x = [1, 2, 3]",
  ]

  @Test(arguments: EncodingName.allCases, texts)
  func everyLimitGivesTheLongestPrefixThatFits(_ name: EncodingName, _ text: String) throws {
    let encoding = try Encoding.named(name)
    let ids = encoding.encode(text)
    for limit in 0...(ids.count + 1) {
      // act
      let (kept, removed) = encoding.truncate(text, toTokens: limit)
      // check: a prefix of whole characters, within the limit on its own
      #expect(text.hasPrefix(kept), "limit \(limit)")
      #expect(encoding.count(kept) <= limit, "limit \(limit)")
      if limit >= ids.count {
        #expect(kept == text && removed == 0)
        continue
      }
      // the prefix is made of whole tokens of the text, and nothing longer of them fits
      let keptTokens = ids.count - removed
      #expect(encoding.decodeBytes(Array(ids[..<keptTokens])) == Array(kept.utf8))
      for longer in stride(from: keptTokens + 1, through: limit, by: 1) {
        // a longer prefix that ends between two characters (graphemes) and fits is a miss
        let length = encoding.decodeBytes(Array(ids[..<longer])).count
        let end = text.utf8.index(text.utf8.startIndex, offsetBy: length)
        let fits = String.Index(end, within: text).map {
          encoding.count(String(text[..<$0])) <= limit
        }
        #expect(fits != true, "limit \(limit): \(longer) tokens would fit too")
      }
    }
  }
}
