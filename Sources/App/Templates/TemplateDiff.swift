import Fluent
import Foundation
import Templating
import Vapor

/// `GET /prompt-templates/:id/diff?from&to`: the body as a unified diff (also as hunks with
/// line numbers) and the schema's changes by JSON Pointer, with what breaks callers.
struct TemplateDiffResponse: Content {
  struct Body: Content {
    let unified: String
    let hunks: [Hunk]
  }

  struct Hunk: Content {
    let oldStart: Int
    let oldLines: Int
    let newStart: Int
    let newLines: Int
    let lines: [Line]
  }

  struct Line: Content {
    let kind: String
    let text: String
    let oldLine: Int?
    let newLine: Int?

    /// Both numbers always present, null on the side the line is not on.
    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(kind, forKey: .kind)
      try container.encode(text, forKey: .text)
      try container.encode(oldLine, forKey: .oldLine)
      try container.encode(newLine, forKey: .newLine)
    }
  }

  struct Schema: Content {
    let changes: [Change]
    let newlyRequired: [String]
    let removedVariables: [String]
  }

  struct Change: Content {
    let pointer: String
    let kind: String
    let before: JSONValue?
    let after: JSONValue?

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(pointer, forKey: .pointer)
      try container.encode(kind, forKey: .kind)
      try container.encode(before ?? .null, forKey: .before)
      try container.encode(after ?? .null, forKey: .after)
    }
  }

  let templateId: String
  let from: Int
  let to: Int
  let body: Body
  let schema: Schema

  init(
    templateID: UUID, from: PromptTemplateVersion, to: PromptTemplateVersion
  ) throws {
    templateId = templateID.lowercasedText
    self.from = from.version
    self.to = to.version
    let lines = LineDiff(old: from.bodyMarkdown, new: to.bodyMarkdown)
    body = Body(
      unified: lines.unified(oldLabel: "v\(from.version)", newLabel: "v\(to.version)"),
      hunks: lines.hunks.map { hunk in
        Hunk(
          oldStart: hunk.oldStart, oldLines: hunk.oldLines, newStart: hunk.newStart,
          newLines: hunk.newLines,
          lines: hunk.lines.map {
            Line(kind: $0.kind.rawValue, text: $0.text, oldLine: $0.oldLine, newLine: $0.newLine)
          })
      })
    let schemas = SchemaDiff(
      old: try from.lintJSON.map { try JSONValue(parsing: $0) },
      new: try to.lintJSON.map { try JSONValue(parsing: $0) })
    schema = Schema(
      changes: schemas.changes.map {
        Change(pointer: $0.pointer, kind: $0.kind.rawValue, before: $0.before, after: $0.after)
      },
      newlyRequired: schemas.newlyRequired, removedVariables: schemas.removedVariables)
  }
}

extension TemplateRoutes {
  /// `from` and `to` are version numbers or labels (`latest` included).
  func diff(req: Request) async throws -> TemplateDiffResponse {
    let principal = try req.principal
    let template = try await req.templates.find(
      try req.idParameter("templateID", "Template"), companyID: principal.companyID)
    let labels = try req.templateLabels
    let new = try await labels.version(
      try Self.versionReference(req, "to") ?? .number(template.latestVersion), of: template)
    let old = try await labels.version(
      try Self.versionReference(req, "from") ?? .number(max(1, new.version - 1)), of: template)
    return try TemplateDiffResponse(templateID: template.requireID(), from: old, to: new)
  }

  /// A version number or a label from the query.
  static func versionReference(_ req: Request, _ name: String) throws
    -> TemplateVersionReference?
  {
    guard let raw = req.query[String.self, at: name] else { return nil }
    guard let reference = TemplateVersionReference(raw) else {
      throw AppError.validation(
        field: name, reason: "must be a version number (1 or more) or a label name")
    }
    return reference
  }

  /// `POST /prompt-templates/lint {bodyMd, lintJson?, name?}`: a draft's diagnostics, the same a
  /// save would give, without saving; 200 even when some are errors.
  func lint(req: Request) async throws -> TemplateLintResponse {
    let principal = try req.principal
    let body = try JSONBody(req)
    let bodyMd = try body.requiredString("bodyMd")
    let schema = body.object["lintJson"]?.nonNull
    let name = try body.optionalString("name")
    let diagnostics = try await req.templates.lint(
      body: bodyMd, schema: schema, name: name, companyID: principal.companyID)
    return TemplateLintResponse(diagnostics: diagnostics.map(DiagnosticResponse.init))
  }
}

struct TemplateLintResponse: Content {
  let diagnostics: [DiagnosticResponse]
}
