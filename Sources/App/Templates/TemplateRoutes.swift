import Fluent
import Templating
import Vapor

/// `/prompt-templates`: everyone in the company reads, leads and admins write.
struct TemplateRoutes: RouteCollection {
  func boot(routes: any RoutesBuilder) throws {
    let templates = routes.grouped("prompt-templates")
    let readers = templates.grouped(RequireRole(.developer))
    readers.get(use: list)
    readers.get(":templateID", use: show)
    readers.get(":templateID", "versions", use: versions)
    readers.get(":templateID", "versions", ":version", use: version)
    readers.get(":templateID", "diff", use: diff)
    let writers = templates.grouped(RequireRole(.lead))
    writers.post(use: create)
    writers.post("lint", use: lint)
    writers.post("import", use: importTemplates)
    writers.patch(":templateID", use: update)
    writers.delete(":templateID", use: archive)
    writers.post(":templateID", "check", use: check)
  }

  func create(req: Request) async throws -> Response {
    let principal = try req.principal
    let body = try JSONBody(req)
    let name = try body.requiredString("name")
    let bodyMd = try body.requiredString("bodyMd")
    let schema = body.object["lintJson"]?.nonNull
    let (template, warnings) = try await req.templates.create(
      companyID: principal.companyID, userID: principal.userID, name: name, body: bodyMd,
      schema: schema, maxTokens: body.object["maxTokens"]?.nonNull?.intValue)
    let authors = try await TemplateAuthors.load(templates: [template], on: req.db)
    let created = try TemplateResponse(template, warnings: warnings, authors: authors)
    let response = Response(status: .created)
    try response.content.encode(created)
    response.headers.replaceOrAdd(name: .location, value: "/prompt-templates/\(created.id)")
    return response
  }

  func update(req: Request) async throws -> TemplateResponse {
    let principal = try req.principal
    let template = try await req.templates.find(
      try req.idParameter("templateID", "Template"), companyID: principal.companyID)
    guard template.archivedAt == nil else {
      throw AppError.conflict("The template is archived.")
    }
    let body = try JSONBody(req)
    let schema: JSONValue?? =
      body.has("lintJson") ? .some(body.object["lintJson"]?.nonNull) : .none
    // Absent keeps the budget, null removes it.
    let maxTokens: Int?? =
      body.has("maxTokens") ? .some(body.object["maxTokens"]?.nonNull?.intValue) : .none
    let (saved, warnings) = try await req.templates.update(
      template, userID: principal.userID, name: try body.optionalString("name"),
      body: try body.optionalString("bodyMd"), schema: schema, maxTokens: maxTokens)
    let authors = try await TemplateAuthors.load(templates: [saved], on: req.db)
    return try TemplateResponse(saved, warnings: warnings, authors: authors)
  }

  func list(req: Request) async throws -> Response {
    let principal = try req.principal
    let page = try await PromptTemplate.query(on: req.db)
      .filter(\.$company.$id == principal.companyID).filter(\.$archivedAt == nil)
      .page(PageRequest(from: req))
    let authors = try await TemplateAuthors.load(templates: page.items, on: req.db)
    return try page.map { try TemplateResponse($0, authors: authors) }.response(for: req)
  }

  func show(req: Request) async throws -> TemplateResponse {
    let principal = try req.principal
    let template = try await req.templates.find(
      try req.idParameter("templateID", "Template"), companyID: principal.companyID)
    let authors = try await TemplateAuthors.load(templates: [template], on: req.db)
    return try TemplateResponse(template, authors: authors)
  }

  func versions(req: Request) async throws -> Response {
    let principal = try req.principal
    let template = try await req.templates.find(
      try req.idParameter("templateID", "Template"), companyID: principal.companyID)
    let page = try await PromptTemplateVersion.query(on: req.db)
      .filter(\.$template.$id == template.requireID())
      .page(PageRequest(from: req))
    let authors = try await TemplateAuthors.load(versions: page.items, on: req.db)
    return try page.map { try TemplateVersionResponse($0, authors: authors) }.response(for: req)
  }

  func version(req: Request) async throws -> TemplateVersionResponse {
    let principal = try req.principal
    let template = try await req.templates.find(
      try req.idParameter("templateID", "Template"), companyID: principal.companyID)
    guard let number = req.parameters.get("version", as: Int.self),
      let version = try await PromptTemplateVersion.query(on: req.db)
        .filter(\.$template.$id == template.requireID()).filter(\.$version == number).first()
    else { throw AppError.notFound("Template version") }
    let authors = try await TemplateAuthors.load(versions: [version], on: req.db)
    return try TemplateVersionResponse(version, authors: authors)
  }

  /// `POST /prompt-templates/:id/check {candidate, baseline?, issues?, sample?}`.
  func check(req: Request) async throws -> CheckResponse {
    let principal = try req.principal
    let template = try await req.templates.find(
      try req.idParameter("templateID", "Template"), companyID: principal.companyID)
    let body = try req.decodeBody(CheckRequest.self)
    let issues = try body.issues.map { ids in
      try ids.enumerated().map { index, text in
        guard let id = UUID(text: text) else {
          throw AppError.validation(field: "issues/\(index)", reason: "must be a UUID")
        }
        return id
      }
    }
    let check = TemplateCheck(
      database: req.db, templates: try req.templates, labels: try req.templateLabels)
    return try await check.run(
      template: template, candidate: try CheckRequest.reference(body.candidate, "candidate"),
      baseline: try body.baseline.map { try CheckRequest.reference($0, "baseline") },
      issues: issues, sample: body.sample ?? TemplateCheck.defaultSample,
      companyID: principal.companyID)
  }

  func archive(req: Request) async throws -> HTTPStatus {
    let principal = try req.principal
    let template = try await req.templates.find(
      try req.idParameter("templateID", "Template"), companyID: principal.companyID)
    try await req.templates.archive(template)
    return .noContent
  }
}

extension Request {
  /// The template service acting for the signed-in user, who is the author of its audit rows.
  var templates: TemplateService {
    get throws { templates(auditor: try auditor) }
  }

  /// The template service with an auditor the caller already has (building one reads the
  /// client's address and headers again), and the database it already has: Fluent makes a new
  /// one on each `db`, which for PostgreSQL instantiates generic types at run time
  /// (docs/performance.md, round 15).
  func templates(auditor: Auditor, database: (any Database)? = nil) -> TemplateService {
    TemplateService(
      database: database ?? db, cache: application.templateCache,
      limits: application.appConfig.renderLimits, auditor: auditor,
      events: TemplateEvents(queue: application.jobs.queue))
  }
}

extension Application {
  private struct TemplateCacheKey: StorageKey {
    typealias Value = TemplateCache
  }

  /// Compiled templates by source; versions never change, so entries never go stale.
  var templateCache: TemplateCache {
    get { storage.required(TemplateCacheKey.self) }
    set { storage[TemplateCacheKey.self] = newValue }
  }
}
