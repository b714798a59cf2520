import Fluent
import FluentSQL
import SQLKit

/// `q=`: an issue key, or words from the title, matched literally (`%` and `_` are text, not
/// wildcards) and ignoring ASCII case on both databases.
enum IssueSearch {
  static let maximumLength = 200

  static func apply(_ text: String, to query: QueryBuilder<Issue>, on database: any Database)
    -> QueryBuilder<Issue>
  {
    let needle = String(text.prefix(maximumLength))
    // LIKE ignores ASCII case on SQLite; PostgreSQL needs ILIKE for the same behaviour.
    let like = (database as? any SQLDatabase)?.dialect.name == "postgresql" ? "ILIKE" : "LIKE"
    let pattern = "%" + escaped(needle) + "%"
    return query.group(.or) { group in
      group.filter(\.$externalKey == needle.uppercased())
        .filter(
          .sql(
            embed:
              "\(ident: Issue.schema).\(ident: "title") \(unsafeRaw: like) \(bind: pattern) ESCAPE '\\'"
          ))
    }
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
