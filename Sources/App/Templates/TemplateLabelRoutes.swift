import Fluent
import Foundation
import Vapor

/// `/prompt-templates/:id/labels`: everyone reads, leads and admins move and remove.
struct TemplateLabelRoutes: RouteCollection {
  func boot(routes: any RoutesBuilder) throws {
    let labels = routes.grouped("prompt-templates", ":templateID", "labels")
    let readers = labels.grouped(RequireRole(.developer))
    readers.get(use: list)
    readers.get(":label", "history", use: history)
    let writers = labels.grouped(RequireRole(.lead))
    writers.put(":label", use: move)
    writers.delete(":label", use: remove)
  }

  func list(req: Request) async throws -> [LabelResponse] {
    let template = try await Self.template(req)
    let labels = try await req.templateLabels.list(templateID: try template.requireID())
    let names = try await UserNames.load(labels.map(\.$movedBy.id), on: req.db)
    return try labels.map { try LabelResponse($0, names: names) }
  }

  func move(req: Request) async throws -> LabelResponse {
    let principal = try req.principal
    let label = try TemplateLabelName.settable(Self.labelParameter(req), field: "label")
    let template = try await Self.template(req)
    let body = try req.decodeBody(MoveLabelRequest.self)
    let moved = try await req.templateLabels.move(
      label, of: template, to: body.version, by: principal)
    let names = try await UserNames.load([moved.$movedBy.id], on: req.db)
    return try LabelResponse(moved, names: names)
  }

  func remove(req: Request) async throws -> HTTPStatus {
    let principal = try req.principal
    let label = try TemplateLabelName.settable(Self.labelParameter(req), field: "label")
    let template = try await Self.template(req)
    try await req.templateLabels.remove(label, of: template, by: principal)
    return .noContent
  }

  func history(req: Request) async throws -> [LabelMoveResponse] {
    let label = try Self.labelParameter(req)
    guard TemplateLabelName.isValid(label) else {
      throw AppError.validation(field: "label", reason: TemplateLabelName.rule)
    }
    let template = try await Self.template(req)
    let moves = try await req.templateLabels.history(label, templateID: try template.requireID())
    let names = try await UserNames.load(moves.map(\.$movedBy.id), on: req.db)
    return moves.map { LabelMoveResponse($0, names: names) }
  }

  private static func labelParameter(_ req: Request) throws -> String {
    guard let label = req.parameters.get("label") else { throw AppError.notFound("Label") }
    return label
  }

  private static func template(_ req: Request) async throws -> PromptTemplate {
    try await req.templates.find(
      try req.idParameter("templateID", "Template"), companyID: try req.principal.companyID)
  }
}

struct MoveLabelRequest: Decodable {
  let version: Int
}

/// A label and the version it names.
struct LabelResponse: Content {
  let label: String
  let version: Int
  let movedBy: String
  let movedByName: String?
  let movedAt: Date

  init(_ label: TemplateLabel, names: UserNames) throws {
    self.label = label.label
    version = label.version
    movedBy = label.$movedBy.id.lowercasedText
    movedByName = names[label.$movedBy.id]
    movedAt = label.movedAt
  }
}

/// One move of a label; `version` is null where the label was removed.
struct LabelMoveResponse: Content {
  let version: Int?
  let previousVersion: Int?
  let movedBy: String
  let movedByName: String?
  let movedAt: Date

  init(_ move: TemplateLabelMove, names: UserNames) {
    version = move.version
    previousVersion = move.previousVersion
    movedBy = move.$movedBy.id.lowercasedText
    movedByName = names[move.$movedBy.id]
    movedAt = move.movedAt
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(version, forKey: .version)
    try container.encode(previousVersion, forKey: .previousVersion)
    try container.encode(movedBy, forKey: .movedBy)
    try container.encode(movedByName, forKey: .movedByName)
    try container.encode(movedAt, forKey: .movedAt)
  }
}

extension Request {
  /// The label service acting for the signed-in user.
  var templateLabels: TemplateLabelService {
    get throws {
      TemplateLabelService(
        database: db, auditor: try auditor, events: TemplateEvents(queue: application.jobs.queue))
    }
  }
}
