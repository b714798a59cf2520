import Fluent
import Foundation
import SQLKit
import Templating
import Tokenizer

/// What a generation produced.
struct GenerationResult: Sendable {
  let promptID: UUID
  let promptVersionID: UUID
  let version: Int
  let text: String
  let tokens: Int
  let encoding: String
  let templateVersion: Int
}

/// Turns an issue and a template into an immutable, counted prompt version.
struct GenerationService: Sendable {
  let database: any Database
  let templates: TemplateService
  let metrics: GenerationMetrics
  /// Writes the prompt's audit row in the generation's transaction.
  var auditor: Auditor?

  func generate(_ request: GenerationRequest, by principal: Principal) async throws
    -> GenerationResult
  {
    let started = ContinuousClock.now
    let encoding: Encoding
    do {
      encoding = try Encoding.forModel(request.model)
    } catch {
      throw AppError.validation(field: "model", reason: "\(error)")
    }
    guard
      let issue = try await Issue.query(on: database)
        .filter(\.$id == request.issueID).filter(\.$company.$id == principal.companyID).first()
    else { throw AppError.notFound("Issue") }
    let template = try await templates.find(request.templateID, companyID: principal.companyID)
    guard template.archivedAt == nil else {
      throw AppError.conflict("The template is archived: it can no longer be used to generate.")
    }
    let versionNumber = request.templateVersion ?? template.latestVersion
    guard
      let templateVersion = try await PromptTemplateVersion.query(on: database)
        .filter(\.$template.$id == template.requireID()).filter(\.$version == versionNumber)
        .first()
    else { throw AppError.notFound("Template version \(versionNumber)") }

    let source = request.overrideBody ?? templateVersion.bodyMarkdown
    let schemaJSON: JSONValue? =
      request.overrideBody != nil && request.overrideSchema != nil
      ? request.overrideSchema : try templateVersion.lintJSON.map { try JSONValue(parsing: $0) }
    if request.overrideBody != nil {
      _ = try await templates.lintOrRefuse(
        body: source, schema: schemaJSON, name: template.name, companyID: principal.companyID)
    }
    let vars = try Self.validatedVars(request.vars, schemaJSON: schemaJSON)

    let tracker = try await Tracker.find(issue.$tracker.id, on: database)
    let issueVariables = IssueContext.variables(of: issue, trackerName: tracker?.name ?? "")
    let partials = try await templates.partials(companyID: principal.companyID)
    let text: String
    do {
      text = try templates.cache.compiled(source).render(
        BuiltinVariables.renderContext(issue: issueVariables, vars: vars), partials: partials)
    } catch {
      throw AppError(
        .unprocessableEntity, type: "template-render-failed",
        title: "The template failed to render",
        detail: error.description,
        errors: [
          .init(
            field: request.overrideBody == nil ? "templateId" : "templateOverride.bodyMd",
            reason: error.description)
        ])
    }
    let tokens = encoding.count(text)
    let result = try await store(
      text: text, tokens: tokens, encoding: encoding.name.rawValue, request: request,
      principal: principal, issue: issue, template: template, templateVersion: templateVersion,
      vars: vars, snapshot: SHA256Digest.hex(issueVariables.compactJSON))
    metrics.recordGeneration(tokens: tokens, duration: ContinuousClock.now - started)
    return result
  }

  static func validatedVars(_ vars: JSONValue, schemaJSON: JSONValue?) throws -> JSONValue {
    guard let schemaJSON else { return vars }
    let schema: JSONSchema
    do {
      schema = try JSONSchema(schemaJSON)
    } catch {
      throw AppError.validation(field: "lintJson", reason: error.description)
    }
    let (filled, violations) = schema.applyingDefaultsAndValidating(vars)
    guard violations.isEmpty else {
      throw AppError.validation(
        violations.map {
          .init(field: "vars\($0.pointer == "/" ? "" : $0.pointer)", reason: $0.reason)
        })
    }
    return filled
  }

  /// Appends the version in one transaction; two generations racing for the same version number
  /// meet the unique index, and the loser retries with the next number.
  private func store(
    text: String, tokens: Int, encoding: String, request: GenerationRequest,
    principal: Principal, issue: Issue, template: PromptTemplate,
    templateVersion: PromptTemplateVersion, vars: JSONValue, snapshot: String
  ) async throws -> GenerationResult {
    var attempt = 0
    while true {
      attempt += 1
      do {
        return try await database.writeTransaction { transaction in
          let (prompt, created) = try await findOrCreatePrompt(
            issueID: try issue.requireID(), templateID: try template.requireID(),
            principal: principal, on: transaction)
          let promptID = try prompt.requireID()
          // Serialises version numbering per prompt on PostgreSQL (SQLite has a single writer).
          _ = try await (transaction as! any SQLDatabase).select().column("id").from(Prompt.schema)
            .where("id", .equal, SQLBind(promptID)).for(.update).all()
          let latest =
            try await PromptVersion.query(on: transaction)
            .filter(\.$prompt.$id == promptID).max(\.$version) ?? 0
          let version = PromptVersion()
          version.id = .v7()
          version.$prompt.id = promptID
          version.$company.id = principal.companyID
          version.$creator.id = principal.userID
          version.version = latest + 1
          version.bodyText = text
          version.tokensEstimate = tokens
          version.encoding = encoding
          version.model = request.model
          version.$templateVersion.id = try templateVersion.requireID()
          version.overrideBodyMarkdown = request.overrideBody
          version.overrideLintJSON =
            request.overrideBody == nil ? nil : request.overrideSchema?.compactJSON
          version.varsJSON = vars.compactJSON
          version.issueSnapshotSHA256 = snapshot
          try await version.create(on: transaction)
          let event = GenerationEvent()
          event.id = .v7()
          event.$company.id = principal.companyID
          event.$promptVersion.id = try version.requireID()
          event.$template.id = try template.requireID()
          event.$user.id = principal.userID
          event.tokensIn = tokens
          event.ide = request.ide
          event.timestamp = Date()
          try await event.create(on: transaction)
          try await auditor?.record(
            created ? .promptCreated : .promptUpdated, .prompt, id: promptID,
            changed: created ? ["issueId", "templateId", "version"] : ["version"],
            details: ["version": String(version.version)], on: transaction)
          return GenerationResult(
            promptID: promptID, promptVersionID: try version.requireID(), version: version.version,
            text: text, tokens: tokens, encoding: encoding, templateVersion: templateVersion.version
          )
        }
      } catch  where WriteConflict.isRetryable(error) && attempt < 10 {
        try await Task.sleep(for: .milliseconds(Int.random(in: 1...(5 * attempt))))
        continue
      }
    }
  }

  private func findOrCreatePrompt(
    issueID: UUID, templateID: UUID, principal: Principal, on database: any Database
  ) async throws -> (prompt: Prompt, created: Bool) {
    if let existing = try await Prompt.query(on: database)
      .filter(\.$issue.$id == issueID).filter(\.$template.$id == templateID)
      .filter(\.$creator.$id == principal.userID).first()
    {
      return (existing, false)
    }
    let prompt = Prompt(
      companyID: principal.companyID, issueID: issueID, templateID: templateID,
      creatorID: principal.userID)
    try await prompt.create(on: database)
    return (prompt, true)
  }
}
