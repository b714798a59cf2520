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
  /// A label of the template (`production`, `staging`, `latest`…); never with `templateVersion`.
  let templateLabel: String?
  let overrideBody: String?
  let overrideSchema: JSONValue?
  let model: String
  let ide: String?
  /// Lets the prompt exceed its template version's `maxTokens`.
  let allowOverBudget: Bool

  /// A generation from a template as it is stored (the MCP tools and prompts).
  init(
    issueID: UUID, templateID: UUID, vars: JSONValue, templateVersion: Int?,
    templateLabel: String? = nil, model: String = GenerationRequest.defaultModel, ide: String?,
    allowOverBudget: Bool = false
  ) throws {
    self.allowOverBudget = allowOverBudget
    self.issueID = issueID
    self.templateID = templateID
    self.vars = vars
    self.templateVersion = templateVersion
    self.templateLabel = try Self.label(templateLabel, version: templateVersion)
    overrideBody = nil
    overrideSchema = nil
    self.model = model
    self.ide = ide
  }

  /// The body as openapi.yaml's `GenerateRequest` and `PreviewRequest` state it; the contract
  /// check has enforced every rule it states (types, `templateVersion` ≥ 1, `ide` ≤ 100…).
  private struct Body: Decodable {
    let issueId: String
    let templateId: String?
    let vars: JSONValue?
    let templateVersion: Int?
    let templateLabel: String?
    let templateOverride: Override?
    let model: String?
    let ide: String?
    let allowOverBudget: Bool?

    struct Override: Decodable {
      let bodyMd: String
      let lintJson: JSONValue?
    }
  }

  /// `templateRequired` false: a preview, where `templateOverride` may stand alone. The rules
  /// JSON Schema does not state are here: the ids' format (`format` is an annotation), a
  /// template or an override in a preview, and the `X-Client-IDE` header's length.
  init(_ req: Request, templateRequired: Bool = true) throws {
    let body = try req.decodeBody(Body.self)
    issueID = try Self.uuid(body.issueId, field: "issueId")
    if let templateID = body.templateId {
      self.templateID = try Self.uuid(templateID, field: "templateId")
    } else if templateRequired || body.templateOverride == nil {
      throw AppError.badRequest("is required", field: "templateId")
    } else {
      templateID = nil
    }
    vars = body.vars?.nonNull ?? .object([:])
    templateVersion = body.templateVersion
    templateLabel = try Self.label(body.templateLabel, version: body.templateVersion)
    overrideBody = body.templateOverride?.bodyMd
    overrideSchema = body.templateOverride?.lintJson?.nonNull
    model = body.model ?? Self.defaultModel
    allowOverBudget = body.allowOverBudget ?? false
    let ide = body.ide ?? req.headers.first(name: "X-Client-IDE")
    if let ide, ide.count > 100 {
      throw AppError.validation(field: "ide", reason: "must be at most 100 characters")
    }
    self.ide = ide
  }

  /// A label is valid and never comes with a version number.
  private static func label(_ label: String?, version: Int?) throws -> String? {
    guard let label else { return nil }
    guard version == nil else {
      throw AppError.validation(
        field: "templateLabel", reason: "cannot be given with templateVersion: choose one")
    }
    guard TemplateLabelName.isValid(label) else {
      throw AppError.validation(field: "templateLabel", reason: TemplateLabelName.rule)
    }
    return label
  }

  private static func uuid(_ text: String, field: String) throws -> UUID {
    guard let id = UUID(text: text) else {
      throw AppError.validation(field: field, reason: "must be a UUID")
    }
    return id
  }
}
