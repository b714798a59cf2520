/// The issue variables every template receives, documented in one place.
public enum BuiltinVariables {
  /// The shape of a built-in variable.
  public indirect enum Kind: Sendable, Hashable {
    case string
    /// A Markdown string.
    case markdown
    case array(Kind)
    case object([Variable])
  }

  /// A built-in variable.
  public struct Variable: Sendable, Hashable {
    /// The name used in templates.
    public let name: String
    /// Its shape.
    public let kind: Kind
    /// One line of documentation.
    public let summary: String
  }

  /// All built-in variables, in documentation order.
  public static let all: [Variable] = [
    Variable(name: "key", kind: .string, summary: "the issue key, e.g. PS-42"),
    Variable(name: "title", kind: .string, summary: "the issue title"),
    Variable(name: "description", kind: .markdown, summary: "the issue description (Markdown)"),
    Variable(
      name: "criteria", kind: .markdown, summary: "the acceptance criteria (Markdown)"),
    Variable(name: "status", kind: .string, summary: "the tracker's own status name"),
    Variable(
      name: "statusCategory", kind: .string,
      summary: "the status category (e.g. new, indeterminate, done)"),
    Variable(name: "priority", kind: .string, summary: "the priority name"),
    Variable(name: "type", kind: .string, summary: "the issue type (Story, Bug…)"),
    Variable(name: "labels", kind: .array(.string), summary: "the labels (array of strings)"),
    Variable(
      name: "assignee",
      kind: .object([
        Variable(name: "name", kind: .string, summary: "display name"),
        Variable(name: "email", kind: .string, summary: "e-mail address"),
      ]), summary: "the assignee, { name, email }; absent when unassigned"),
    Variable(name: "url", kind: .string, summary: "the issue's web address"),
    Variable(name: "tracker", kind: .string, summary: "the tracker's name (jira, github…)"),
  ]

  /// The names of all built-in variables.
  public static let names: Set<String> = Set(all.map(\.name))

  /// The root context of a rendering: the issue's built-in variables, then the caller's
  /// variables (a variable named like a built-in is ignored; the linter refuses such schemas).
  public static func renderContext(issue: JSONValue, vars: JSONValue?) -> JSONValue {
    var root = JSONObject()
    for (key, value) in issue.objectValue?.pairs ?? [] { root[key] = value }
    for (key, value) in vars?.objectValue?.pairs ?? [] where !names.contains(key) {
      root[key] = value
    }
    return .object(root)
  }

  /// The built-in variable named `name`.
  public static func variable(named name: String) -> Variable? {
    all.first { $0.name == name }
  }
}
