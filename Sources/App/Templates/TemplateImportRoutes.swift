import Foundation
import Templating
import Vapor

extension TemplateRoutes {
  /// `POST /prompt-templates/import {templates: [{name, bodyMd, lintJson?}], label?, dryRun?}`.
  func importTemplates(req: Request) async throws -> ImportResponse {
    let principal = try req.principal
    let body = try req.decodeBody(ImportRequest.self)
    let items = try body.templates.enumerated().map { index, template in
      do {
        return TemplateImport.Item(
          name: try TemplateService.validName(template.name), body: template.bodyMd,
          schema: template.lintJson?.nonNull, maxTokens: template.maxTokens)
      } catch var error as AppError {
        error.errors = error.errors.map {
          .init(field: "templates/\(index)/\($0.field)", reason: $0.reason)
        }
        throw error
      }
    }
    let label = try body.label.map { try TemplateLabelName.settable($0, field: "label") }
    let outcomes = try await TemplateImport(
      database: req.db, templates: try req.templates, labels: try req.templateLabels
    ).run(items, label: label, dryRun: body.dryRun ?? false, by: principal)
    return ImportResponse(
      dryRun: body.dryRun ?? false, label: label, templates: outcomes.map(ImportResponse.Entry.init)
    )
  }
}

struct ImportRequest: Decodable {
  struct Template: Decodable {
    let name: String
    let bodyMd: String
    let lintJson: JSONValue?
    let maxTokens: Int?
  }

  let templates: [Template]
  let label: String?
  let dryRun: Bool?
}

struct ImportResponse: Content {
  struct Entry: Content {
    let name: String
    /// Null for a template a dry run would create.
    let id: String?
    let action: String
    /// The version the template is at afterwards (or would be, in a dry run).
    let version: Int
    let previousVersion: Int?
    /// The body's unified diff against the latest version; empty when unchanged.
    let diff: String

    init(_ outcome: TemplateImport.Outcome) {
      name = outcome.name
      id = outcome.id?.lowercasedText
      action = outcome.action.rawValue
      version = outcome.version
      previousVersion = outcome.previousVersion
      diff = outcome.diff
    }

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(name, forKey: .name)
      try container.encode(id, forKey: .id)
      try container.encode(action, forKey: .action)
      try container.encode(version, forKey: .version)
      try container.encode(previousVersion, forKey: .previousVersion)
      try container.encode(diff, forKey: .diff)
    }
  }

  let dryRun: Bool
  let label: String?
  let templates: [Entry]

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(dryRun, forKey: .dryRun)
    try container.encode(label, forKey: .label)
    try container.encode(templates, forKey: .templates)
  }
}
