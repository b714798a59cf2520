extension Encoding {
  /// `text` cut to at most `limit` tokens of this encoding: the longest prefix made of whole
  /// tokens of `text`'s encoding that ends between two characters (never inside a UTF-8
  /// sequence or a grapheme such as 👩🏽‍💻) and counts at most `limit` tokens on its own.
  /// `removed` is how many of `text`'s tokens the cut left out (0 when `text` fits).
  public func truncate(_ text: String, toTokens limit: Int) -> (text: String, removed: Int) {
    let ids = encode(text)
    guard ids.count > limit else { return (text, 0) }
    let utf8 = text.utf8
    var kept = max(0, limit)
    var length = decodeBytes(Array(ids[..<kept])).count
    while kept > 0 {
      // A prefix of the tokens is a prefix of the bytes; it may end inside a character (a CJK
      // character or an emoji spread over tokens) or count differently on its own.
      let end = utf8.index(utf8.startIndex, offsetBy: length)
      if let boundary = String.Index(end, within: text) {
        let prefix = String(text[..<boundary])
        if count(prefix) <= limit { return (prefix, ids.count - kept) }
      }
      kept -= 1
      length -= decodeBytes([ids[kept]]).count
    }
    return ("", ids.count)
  }
}
