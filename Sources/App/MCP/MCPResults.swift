import Foundation
import Templating

/// An issue in a tool's structured result.
struct IssueSummary: Encodable, Sendable {
  let id: String
  let key: String
  let title: String
  let status: String
  let statusCategory: String
  let tracker: String
  let trackerId: String
  let url: String?
  let resourceUri: String

  /// `issue.tracker` must be loaded.
  init(_ issue: Issue) throws {
    id = try issue.requireID().lowercasedText
    key = issue.externalKey
    title = issue.title
    status = issue.status
    statusCategory = issue.statusCategory
    tracker = issue.tracker.name
    trackerId = issue.$tracker.id.lowercasedText
    url = issue.url
    resourceUri = MCPResources.uri(key: issue.externalKey, trackerID: nil)
  }
}

/// A template and the variables its JSON Schema declares.
struct TemplateSummary: Encodable, Sendable {
  struct Variable: Encodable, Sendable {
    let name: String
    let type: String?
    let required: Bool
    let description: String?
    let defaultValue: String?

    enum CodingKeys: String, CodingKey {
      case name, type, required, description
      case defaultValue = "default"
    }
  }

  let id: String
  let name: String
  let version: Int
  let variables: [Variable]

  init(_ template: PromptTemplate) throws {
    id = try template.requireID().lowercasedText
    name = template.name
    version = template.latestVersion
    variables = Self.variables(schemaJSON: template.lintJSON)
  }

  /// The top-level properties of a template's schema, in the order the schema lists them.
  static func variables(schemaJSON: String?) -> [Variable] {
    guard let schemaJSON, let schema = try? JSONValue(parsing: schemaJSON),
      let properties = schema["properties"]?.objectValue
    else { return [] }
    let required = Set((schema["required"]?.arrayValue ?? []).compactMap(\.stringValue))
    return properties.pairs.map { name, property in
      let type: String? =
        property["type"]?.stringValue
        ?? property["type"]?.arrayValue.map { $0.compactMap(\.stringValue).joined(separator: "|") }
        ?? (property["enum"] != nil ? "enum" : nil)
      var description = property["description"]?.stringValue
      if let choices = property["enum"]?.arrayValue {
        let list = "one of " + choices.map(\.compactJSON).joined(separator: ", ")
        description = description.map { "\($0) (\(list))" } ?? list
      }
      return Variable(
        name: name, type: type, required: required.contains(name) && property["default"] == nil,
        description: description, defaultValue: property["default"]?.compactJSON)
    }
  }
}

/// What `generate_prompt` returns besides the text.
struct GeneratedPrompt: Encodable, Sendable {
  let promptVersionId: String
  let promptId: String
  let version: Int
  let tokens: Int
  let encoding: String
  let template: String
  let templateVersion: Int
  let templateLabel: String?
  let issueKey: String
  let promptText: String

  init(_ result: GenerationResult, template: String, issueKey: String) {
    promptVersionId = result.promptVersionID.lowercasedText
    promptId = result.promptID.lowercasedText
    version = result.version
    tokens = result.tokens
    encoding = result.encoding
    self.template = template
    templateVersion = result.templateVersion
    templateLabel = result.templateLabel
    self.issueKey = issueKey
    promptText = result.text
  }
}

/// What `submit_output` returns.
struct SubmittedOutput: Encodable, Sendable {
  let outputId: String
  let promptVersionId: String
  let deduplicated: Bool
  let scanStatus: String
  let tokensOut: Int?
  let size: Int
}
