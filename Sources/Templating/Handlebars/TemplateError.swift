/// An error from compiling or rendering a template, with its position in the template.
public struct TemplateError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What went wrong, broadly; the linter maps these to diagnostic codes.
  public enum Kind: String, Sendable, Hashable {
    /// The template does not parse.
    case syntax
    /// A block is never closed.
    case unclosedBlock
    /// A block is closed with another name.
    case mismatchedBlock
    /// A construct handlebars.js has that Promptsmith does not (raw blocks, decorators…).
    case unsupported
    /// A helper failed or was misused while rendering.
    case render
    /// A partial name could not be resolved.
    case missingPartial
    /// A partial includes itself, directly or not.
    case circularPartial
    /// Partials nest deeper than `Template.maxPartialDepth`.
    case partialDepth
    /// A budget of `RenderLimits` ran out; `limit` says which.
    case limitExceeded
  }

  /// The kind of error.
  public var kind: Kind
  /// A sentence for people.
  public var message: String
  /// 1-based line of the offending construct (0 when unknown).
  public var line: Int
  /// 1-based column, in Unicode scalars (0 when unknown).
  public var column: Int
  /// The offending line, trimmed to at most 80 characters around the column.
  public var excerpt: String
  /// The partial the error is in, nil for the main template.
  public var partial: String?
  /// The budget that ran out, for `.limitExceeded` only (nil for every other kind).
  public var limit: RenderLimit?
  /// Byte offset in the template source, used to compute `line` and `column`.
  var offset: Int

  init(kind: Kind, message: String, offset: Int) {
    self.kind = kind
    self.message = message
    self.offset = offset
    self.line = 0
    self.column = 0
    self.excerpt = ""
    self.partial = nil
    self.limit = nil
  }

  /// A `.limitExceeded` error for `limit`, whose message names the budget and its value.
  init(limit: RenderLimit, limits: RenderLimits, offset: Int) {
    self.init(kind: .limitExceeded, message: limits.message(for: limit), offset: offset)
    self.limit = limit
  }

  /// Fills `line`, `column` and `excerpt` from the source the error belongs to.
  func located(in source: SourceText, partial: String? = nil) -> TemplateError {
    var copy = self
    if copy.line == 0 {
      let (line, column) = source.lineAndColumn(of: offset)
      copy.line = line
      copy.column = column
      copy.excerpt = source.excerpt(line: line, column: column)
      copy.partial = partial
    }
    return copy
  }

  /// `LINE:COL message` with the excerpt on the next line.
  public var description: String {
    let place = partial.map { "partial \($0), " } ?? ""
    var text = "\(place)\(line):\(column): \(message)"
    if !excerpt.isEmpty { text += "\n  \(excerpt)" }
    return text
  }
}
