import Foundation
import Templating
import Vapor

/// `POST /prompts/generate`, parsed with its field errors.
struct GenerationRequest: Sendable {
  static let defaultModel = "gpt-3.5-turbo"

  let issueID: UUID
  /// Nil only in a preview of a draft (`templateOverride` without a template).
  let templateID: UUID?
  let vars: JSONValue
  let templateVersion: Int?
  let overrideBody: String?
  let overrideSchema: JSONValue?
  let model: String
  let ide: String?

  /// A generation from a template as it is stored (the MCP tools and prompts).
  init(
    issueID: UUID, templateID: UUID, vars: JSONValue, templateVersion: Int?,
    model: String = GenerationRequest.defaultModel, ide: String?
  ) {
    self.issueID = issueID
    self.templateID = templateID
    self.vars = vars
    self.templateVersion = templateVersion
    overrideBody = nil
    overrideSchema = nil
    self.model = model
    self.ide = ide
  }

  /// `templateRequired` false: a preview, where `templateOverride` may stand alone.
  init(_ req: Request, templateRequired: Bool = true) throws {
    let body = try JSONBody(req)
    issueID = try body.requiredUUID("issueId")
    templateID =
      templateRequired || body.object["templateOverride"] == nil
      ? try body.requiredUUID("templateId") : try body.optionalUUID("templateId")
    if let vars = body.object["vars"], !vars.isNull {
      guard vars.objectValue != nil else {
        throw AppError.badRequest("must be a JSON object", field: "vars")
      }
      self.vars = vars
    } else {
      vars = .object([:])
    }
    templateVersion = try body.optionalInt("templateVersion")
    if let version = templateVersion, version < 1 {
      throw AppError.validation(field: "templateVersion", reason: "must be at least 1")
    }
    if let override = try body.optionalObject("templateOverride") {
      guard let bodyMd = override["bodyMd"]?.stringValue else {
        throw AppError.badRequest(
          "is required and must be a string", field: "templateOverride.bodyMd")
      }
      overrideBody = bodyMd
      overrideSchema = override["lintJson"]?.nonNull
    } else {
      overrideBody = nil
      overrideSchema = nil
    }
    model = try body.optionalString("model") ?? Self.defaultModel
    let ide = try body.optionalString("ide") ?? req.headers.first(name: "X-Client-IDE")
    if let ide, ide.count > 100 {
      throw AppError.validation(field: "ide", reason: "must be at most 100 characters")
    }
    self.ide = ide
  }
}
