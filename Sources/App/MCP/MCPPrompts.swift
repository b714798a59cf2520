import Fluent
import Foundation
import MCP
import Templating

/// Every template of the caller's company as an MCP prompt: its arguments are the template's
/// variables plus `issue`, and getting it renders and records a prompt version exactly like
/// `POST /prompts/generate`.
struct MCPPrompts: Sendable {
  static let pageSize = 50
  /// Arguments every prompt takes besides the template's own variables.
  static let issueArgument = "issue"
  static let trackerArgument = "tracker"
  static let labelArgument = "templateLabel"

  let context: MCPContext

  func list(_ params: ListPrompts.Parameters) async throws -> ListPrompts.Result {
    let page = try await PromptTemplate.query(on: context.database)
      .filter(\.$company.$id == context.principal.companyID).filter(\.$archivedAt == nil)
      .page(PageRequest(limit: Self.pageSize, after: try MCPResources.after(params.cursor)))
    return ListPrompts.Result(
      prompts: page.items.map(Self.prompt), nextCursor: page.nextCursor)
  }

  static func prompt(_ template: PromptTemplate) -> MCP.Prompt {
    var arguments = [
      MCP.Prompt.Argument(
        name: issueArgument, title: "Issue key",
        description: "The key of the issue to render, e.g. PS-42.", required: true)
    ]
    for variable in TemplateSummary.variables(schemaJSON: template.lintJSON)
    where ![issueArgument, trackerArgument, labelArgument].contains(variable.name) {
      var description = variable.description ?? ""
      if let type = variable.type, type != "string" {
        description += (description.isEmpty ? "" : " ") + "(\(type)"
        description += type == "array" || type == "object" ? ", as JSON)" : ")"
      }
      if let value = variable.defaultValue {
        description += (description.isEmpty ? "" : " ") + "Default: \(value)."
      }
      arguments.append(
        .init(
          name: variable.name, description: description.isEmpty ? nil : description,
          required: variable.required))
    }
    arguments.append(
      .init(
        name: trackerArgument, title: "Tracker",
        description: "The tracker's name or id, when several trackers use the issue key.",
        required: false))
    arguments.append(
      .init(
        name: labelArgument, title: "Template label",
        description:
          "A label of the template (e.g. staging); by default production when it is set, else the latest version.",
        required: false))
    return MCP.Prompt(
      name: template.name, title: template.name,
      description: "Team template \(template.name) (version \(template.latestVersion)): "
        + "renders an issue into a prompt and records the prompt version.",
      arguments: arguments)
  }

  func get(_ params: GetPrompt.Parameters) async throws -> GetPrompt.Result {
    do {
      var arguments = params.arguments ?? [:]
      let unstorable =
        (NULCharacter.isIn(params.name) ? ["name"] : [])
        + arguments.filter { NULCharacter.isIn($0.value) }.keys.sorted()
      guard unstorable.isEmpty else {
        throw AppError.validation(unstorable.map { .init(field: $0, reason: NULCharacter.reason) })
      }
      guard let key = arguments.removeValue(forKey: Self.issueArgument), !key.isEmpty else {
        throw AppError.validation(
          field: Self.issueArgument, reason: "is required: the issue key, e.g. PS-42")
      }
      let tracker = arguments.removeValue(forKey: Self.trackerArgument)
      let label = arguments.removeValue(forKey: Self.labelArgument).flatMap {
        $0.isEmpty ? nil : $0
      }
      let template = try await context.template(named: params.name)
      let issue = try await context.issues.issue(key: key, tracker: tracker)
      let vars = Self.typedVariables(arguments, schemaJSON: template.lintJSON)
      let result = try await context.generation.generate(
        GenerationRequest(
          issueID: try issue.requireID(), templateID: try template.requireID(), vars: vars,
          templateVersion: nil, templateLabel: label, ide: context.tag?.name),
        by: context.principal)
      let versionID = result.promptVersionID.lowercasedText
      return GetPrompt.Result(
        description: "\(template.name) v\(result.templateVersion)"
          + (result.templateLabel.map { " (\($0))" } ?? "") + " for \(issue.externalKey): "
          + "\(result.tokens) tokens (\(result.encoding)), prompt version \(versionID)",
        messages: [.user(.text(text: result.text))],
        _meta: Metadata(additionalFields: [
          "promptsmith/promptVersionId": .string(versionID),
          "promptsmith/tokens": .int(result.tokens),
        ]))
    } catch let error as AppError {
      throw MCPError.invalidParams(Self.message(error))
    }
  }

  /// MCP prompt arguments are strings; each becomes the type its schema property declares, so
  /// that `"3"` is a number and `"true"` a boolean. A string that does not parse stays a string,
  /// and the schema then reports the type error.
  static func typedVariables(_ arguments: [String: String], schemaJSON: String?) -> JSONValue {
    let properties =
      schemaJSON.flatMap { try? JSONValue(parsing: $0) }?["properties"]?.objectValue
    var object = JSONObject()
    for name in arguments.keys.sorted() {
      let text = arguments[name] ?? ""
      let property = properties?[name]
      let types =
        property?["type"]?.stringValue.map { [$0] }
        ?? property?["type"]?.arrayValue?.compactMap(\.stringValue) ?? []
      object[name] = typed(text, types: types)
    }
    return .object(object)
  }

  private static func typed(_ text: String, types: [String]) -> JSONValue {
    for type in types {
      switch type {
      case "integer", "number":
        if let number = Double(text.trimmingCharacters(in: .whitespaces)), number.isFinite {
          return .number(number)
        }
      case "boolean":
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true": return .bool(true)
        case "false": return .bool(false)
        default: break
        }
      case "array", "object", "null":
        if let parsed = try? JSONValue(parsing: text), parsed.typeName == type {
          return parsed
        }
      default:
        break
      }
    }
    return .string(text)
  }

  /// An error as one line for a protocol error message: status, detail and each field.
  static func message(_ error: AppError) -> String {
    var text = "\(error.status.code) \(error.title)"
    if let detail = error.detail { text += ": \(detail)" }
    let fields = error.errors.map { "\($0.field): \($0.reason)" }
    if !fields.isEmpty, error.detail?.contains(fields[0]) != true {
      text += " (" + fields.joined(separator: "; ") + ")"
    }
    return text
  }

  /// A JSON pointer as the field name the REST API uses (`/vars/tests` → `vars/tests`).
  static func fieldName(_ pointer: String) -> String {
    pointer == "/" || pointer.isEmpty ? "arguments" : String(pointer.dropFirst())
  }
}
