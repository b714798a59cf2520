import Foundation

/// Picks the converter for a tracker's rich-text value.
public enum RichText {
  /// A Teamwork task description: HTML when `descriptionContentType` says so or the text is
  /// evidently HTML (old tasks), otherwise Markdown or plain text, kept as written.
  public static func teamworkMarkdown(_ text: String?, contentType: String?) -> String {
    guard let text, !text.isEmpty else { return "" }
    if contentType?.uppercased() == "HTML" || looksLikeHTML(text) {
      return HTMLConverter.markdown(from: text)
    }
    return normalizePlainMarkdown(text)
  }

  /// True when the text starts with a tag or contains common block tags.
  static func looksLikeHTML(_ text: String) -> Bool {
    let lower = text.lowercased()
    let trimmed = lower.trimmingCharacters(in: .whitespacesAndNewlines)
    if trimmed.hasPrefix("<") && trimmed.hasSuffix(">") { return true }
    return ["<p>", "<br>", "<br/>", "<br />", "<div>", "<ul>", "<ol>", "<li>", "</a>", "<strong>"]
      .contains { lower.contains($0) }
  }

  /// Markdown or plain text: unified line endings, trailing spaces and outer blank lines gone.
  static func normalizePlainMarkdown(_ text: String) -> String {
    text.replacingOccurrences(of: "\r\n", with: "\n")
      .replacingOccurrences(of: "\r", with: "\n")
      .split(separator: "\n", omittingEmptySubsequences: false)
      .map { line -> String in
        // Two trailing spaces are a Markdown hard break; keep them as the explicit form.
        line.hasSuffix("  ")
          ? line.trimmingTrailingWhitespace() + "\\" : line.trimmingTrailingWhitespace()
      }
      .joined(separator: "\n")
      .trimmingCharacters(in: .whitespacesAndNewlines)
  }
}
