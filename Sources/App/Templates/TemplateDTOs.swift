import Foundation
import Templating
import Vapor

extension DiagnosticResponse {
  init(_ diagnostic: Diagnostic) {
    self.init(
      severity: diagnostic.severity.rawValue, code: diagnostic.code, message: diagnostic.message,
      line: diagnostic.line, column: diagnostic.column, limit: diagnostic.limit?.rawValue)
  }
}

struct TemplateResponse: Content {
  let id: String
  let name: String
  let bodyMd: String
  let lintJson: JSONValue?
  let version: Int
  /// The latest version's token budget; null when it has none.
  let maxTokens: Int?
  let createdBy: String
  let createdByName: String?
  /// The author of the latest version: who changed the template last.
  let updatedBy: String?
  let updatedByName: String?
  let createdAt: Date?
  let updatedAt: Date?
  let archivedAt: Date?
  /// Lint warnings of the saved version, on create and update.
  let warnings: [DiagnosticResponse]?

  init(
    _ template: PromptTemplate, warnings: [Diagnostic]? = nil, authors: TemplateAuthors = .empty
  ) throws {
    id = try template.requireID().lowercasedText
    name = template.name
    bodyMd = template.bodyMarkdown
    lintJson = try template.lintJSON.map { try JSONValue(parsing: $0) }
    version = template.latestVersion
    maxTokens = template.maxTokens
    createdBy = template.$createdBy.id.lowercasedText
    createdByName = authors.name(template.$createdBy.id)
    let updater = try authors.latestAuthor(of: template.requireID())
    updatedBy = updater?.lowercasedText
    updatedByName = updater.flatMap(authors.name)
    createdAt = template.createdAt
    updatedAt = template.updatedAt
    archivedAt = template.archivedAt
    self.warnings = warnings?.map(DiagnosticResponse.init)
  }
}

struct TemplateVersionResponse: Content {
  let templateId: String
  let version: Int
  let bodyMd: String
  let lintJson: JSONValue?
  let contentHash: String
  let maxTokens: Int?
  let createdBy: String
  let createdByName: String?
  let createdAt: Date?

  init(_ version: PromptTemplateVersion, authors: TemplateAuthors = .empty) throws {
    templateId = version.$template.id.lowercasedText
    self.version = version.version
    bodyMd = version.bodyMarkdown
    lintJson = try version.lintJSON.map { try JSONValue(parsing: $0) }
    contentHash = version.contentHash
    maxTokens = version.maxTokens
    createdBy = version.$createdBy.id.lowercasedText
    createdByName = authors.name(version.$createdBy.id)
    createdAt = version.createdAt
  }
}
