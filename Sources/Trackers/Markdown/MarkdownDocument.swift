/// The small Markdown tree every converter (ADF, wiki markup, HTML) produces, so that one
/// renderer owns list indentation, tables and escaping.
indirect enum MarkdownBlock: Sendable, Equatable {
  /// A paragraph of inline content.
  case paragraph([MarkdownInline])
  /// A heading, level 1–6.
  case heading(Int, [MarkdownInline])
  /// A bullet (`start == nil`) or ordered list.
  case list(start: Int?, items: [MarkdownListItem])
  /// A fenced code block.
  case code(language: String?, text: String)
  /// A block quote.
  case quote([MarkdownBlock])
  /// A titled call-out (ADF panel, wiki `{panel}`/`{info}`), rendered as a quote.
  case callout(title: String, [MarkdownBlock])
  /// A thematic break.
  case rule
  /// A table; the first row is the header row.
  case table([[[MarkdownBlock]]])
}

/// One list item: its blocks and, for task lists, whether it is checked.
struct MarkdownListItem: Sendable, Equatable {
  var blocks: [MarkdownBlock]
  var checked: Bool?

  init(_ blocks: [MarkdownBlock], checked: Bool? = nil) {
    self.blocks = blocks
    self.checked = checked
  }
}

/// Inline content.
indirect enum MarkdownInline: Sendable, Equatable {
  /// Literal text (escaped when rendered).
  case text(String)
  /// Strong emphasis.
  case strong([MarkdownInline])
  /// Emphasis.
  case emphasis([MarkdownInline])
  /// Strikethrough.
  case strike([MarkdownInline])
  /// A code span.
  case code(String)
  /// A link; with empty content or content equal to the URL it renders as `<url>`.
  case link(url: String, [MarkdownInline])
  /// An image with alt text.
  case image(url: String, alt: String)
  /// A hard line break.
  case hardBreak
  /// Markdown or inline HTML emitted as is (`<sup>`, placeholders already safe).
  case raw(String)
}
