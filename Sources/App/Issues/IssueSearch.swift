import Fluent
import FluentSQL
import SQLKit

/// `q=`: an issue key, or words from the title, matched literally (`%` and `_` are text, not
/// wildcards) and ignoring ASCII case on both databases.
enum IssueSearch {
  static let maximumLength = 200

  /// `(ext_key = KEY OR title LIKE %text% ESCAPE '\')`, for SQLKit and Fluent queries alike.
  static func condition(_ text: String, on database: any SQLDatabase) -> SQLQueryString {
    let needle = String(text.prefix(maximumLength))
    // LIKE ignores ASCII case on SQLite; PostgreSQL needs ILIKE for the same behaviour.
    let like = database.engine == .postgres ? "ILIKE" : "LIKE"
    let key = SQLColumn("ext_key", table: Issue.schema)
    let title = SQLColumn("title", table: Issue.schema)
    return """
      (\(key) = \(bind: needle.uppercased()) OR \(title) \(unsafeRaw: like) \
      \(bind: "%" + escaped(needle) + "%") ESCAPE '\\')
      """
  }

  /// `text` with LIKE's wildcards and its escape character escaped.
  static func escaped(_ text: String) -> String {
    var result = ""
    for character in text {
      if character == "\\" || character == "%" || character == "_" { result.append("\\") }
      result.append(character)
    }
    return result
  }
}
