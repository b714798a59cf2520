import Fluent
import Templating
import Vapor

/// `POST /prompts/generate`, `GET /prompts`, `GET /prompts/:id`, `GET /prompt-versions/:id`.
struct PromptRoutes: RouteCollection {
  func boot(routes: any RoutesBuilder) throws {
    let developers = routes.grouped(RequireRole(.developer))
    routes.grouped(RequireRole(.developer, readingWithSession: GenerationSourcesRead()))
      .post("prompts", "generate", use: generate)
    developers.get("prompts", use: list)
    developers.get("prompts", ":promptID", use: show)
    developers.get("prompt-versions", ":versionID", use: version)
  }

  func generate(req: Request) async throws -> Response {
    let principal = try req.principal
    let request = try GenerationRequest(req)
    let auditor = try req.auditor
    let database = req.db
    let service = GenerationService(
      database: database, templates: req.templates(auditor: auditor, database: database),
      metrics: GenerationMetrics(registry: req.application.httpMetrics.registry),
      auditor: auditor, prefetched: req.prefetchedRows,
      group: req.application.generationGroup)
    let result = try await req.onItsEventLoop { try await service.generate(request, by: principal) }
    let response = Response(
      status: .created,
      body: .init(buffer: GenerationResponse(result).json(allocator: req.byteBufferAllocator)))
    response.headers.contentType = .json
    response.headers.replaceOrAdd(
      name: .location, value: "/prompt-versions/\(result.promptVersionID.lowercasedText)")
    return response
  }

  func list(req: Request) async throws -> Response {
    let principal = try req.principal
    var query = Prompt.query(on: req.db).filter(\.$company.$id == principal.companyID)
    if let issue = req.query[String.self, at: "issueId"] {
      guard let issueID = UUID(text: issue) else {
        throw AppError.validation(field: "issueId", reason: "must be a UUID")
      }
      query = query.filter(\.$issue.$id == issueID)
    }
    switch req.query[String.self, at: "mine"] {
    case nil, "false": break
    case "true": query = query.filter(\.$creator.$id == principal.userID)
    default: throw AppError.badRequest("must be true or false", field: "mine")
    }
    let page = try await query.page(PageRequest(from: req))
    let summaries = try await PromptSummaries.load(page.items, on: req.db)
    return try page.map { try PromptResponse($0, summaries: summaries) }.response(for: req)
  }

  func show(req: Request) async throws -> PromptResponse {
    let principal = try req.principal
    guard
      let prompt = try await Prompt.query(on: req.db)
        .filter(\.$id == req.idParameter("promptID", "Prompt"))
        .filter(\.$company.$id == principal.companyID).first()
    else { throw AppError.notFound("Prompt") }
    let versions = try await PromptVersion.query(on: req.db)
      .filter(\.$prompt.$id == prompt.requireID()).sort(\.$version).all()
    let summaries = try await PromptSummaries.load([prompt], on: req.db)
    return try PromptResponse(prompt, versions: versions, summaries: summaries)
  }

  func version(req: Request) async throws -> PromptVersionResponse {
    let principal = try req.principal
    guard
      let version = try await PromptVersion.query(on: req.db)
        .filter(\.$id == req.idParameter("versionID", "Prompt version"))
        .filter(\.$company.$id == principal.companyID)
        .with(\.$prompt).with(\.$templateVersion).first()
    else { throw AppError.notFound("Prompt version") }
    var override: JSONValue?
    if let body = version.overrideBodyMarkdown {
      override = .object([
        "bodyMd": .string(body),
        "lintJson": try version.overrideLintJSON.map { try JSONValue(parsing: $0) } ?? .null,
      ])
    }
    let outputs = try await Output.query(on: req.db)
      .filter(\.$promptVersion.$id == version.requireID()).sort(\.$id).all()
    let reviews = try await OutputReviewService.reviews(of: outputs.compactMap(\.id), on: req.db)
    let names = try await UserNames.load(reviews.values.map(\.$reviewedBy.id), on: req.db)
    return PromptVersionResponse(
      id: try version.requireID().lowercasedText,
      promptId: version.$prompt.id.lowercasedText, version: version.version,
      promptText: version.bodyText, tokens: version.tokensEstimate, encoding: version.encoding,
      model: version.model,
      templateId: version.prompt.$template.id.lowercasedText,
      templateVersion: version.templateVersion.version, templateLabel: version.templateLabel,
      allowOverBudget: version.allowOverBudget,
      templateOverride: override,
      vars: try JSONValue(parsing: version.varsJSON),
      issueId: version.prompt.$issue.id.lowercasedText,
      issueSnapshotSha256: version.issueSnapshotSHA256,
      creatorId: version.$creator.id.lowercasedText, createdAt: version.createdAt,
      reviews: outputs.compactMap { output in
        output.id.flatMap { id in reviews[id] }.map {
          OutputReviewSummary(
            outputId: $0.$output.id.lowercasedText,
            review: ReviewResponse($0, names: names))
        }
      })
  }
}
