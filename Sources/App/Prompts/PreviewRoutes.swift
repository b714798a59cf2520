import Tokenizer
import Vapor

/// `POST /prompts/preview`: generate's answer without its writes; `GET /models`: the models the
/// token counter knows, for a model picker.
struct PreviewRoutes: RouteCollection {
  func boot(routes: any RoutesBuilder) throws {
    let developers = routes.grouped(RequireRole(.developer))
    developers.post("prompts", "preview", use: preview)
    developers.get("models", use: models)
  }

  func preview(req: Request) async throws -> PreviewResponse {
    let principal = try req.principal
    let request = try GenerationRequest(req, templateRequired: false)
    let service = GenerationService(
      database: req.db, templates: try req.templates,
      metrics: GenerationMetrics(registry: req.application.httpMetrics.registry), auditor: nil)
    let rendered = try await service.render(request, by: principal)
    return PreviewResponse(
      promptText: rendered.text, tokens: rendered.tokens, encoding: rendered.encoding,
      templateVersion: request.overrideBody == nil ? rendered.template?.versionNumber : nil,
      templateLabel: request.overrideBody == nil ? rendered.template?.label : nil)
  }

  func models(req: Request) async throws -> [ModelResponse] {
    ModelRegistry.exactModels.map {
      ModelResponse(
        model: $0.model, encoding: $0.encoding.rawValue,
        default: $0.model == GenerationRequest.defaultModel)
    }
  }
}

struct PreviewResponse: Content {
  let promptText: String
  let tokens: Int
  let encoding: String
  /// The stored version rendered; null for a draft (`templateOverride`).
  let templateVersion: Int?
  /// The label the version was chosen through; null for a draft or a version number.
  let templateLabel: String?

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(promptText, forKey: .promptText)
    try container.encode(tokens, forKey: .tokens)
    try container.encode(encoding, forKey: .encoding)
    try container.encode(templateVersion, forKey: .templateVersion)
    try container.encode(templateLabel, forKey: .templateLabel)
  }
}

struct ModelResponse: Content {
  let model: String
  let encoding: String
  /// The model generate counts with when a request names none.
  let `default`: Bool
}
