import Fluent
import Foundation
import PostgresKit
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
  /// The label the template version was chosen through; nil when a number was asked for.
  let templateLabel: String?
}

/// A prompt rendered and counted, not stored.
struct RenderedPrompt: Sendable {
  let text: String
  let tokens: Int
  let encoding: String
  let issue: GenerationIssue
  /// Nil for a draft previewed without a template.
  let template: GenerationTemplate?
  /// The variables with the schema's defaults filled in.
  let vars: JSONValue
}

/// Turns an issue and a template into an immutable, counted prompt version.
struct GenerationService: Sendable {
  let database: any Database
  let templates: TemplateService
  let metrics: GenerationMetrics
  /// Writes the prompt's audit row in the generation's transaction.
  var auditor: Auditor?
  /// The issue and template rows read with the caller's session (`GenerationSourcesRead`).
  var prefetched: PrefetchedRows?
  /// On PostgreSQL, the process's group that stores concurrent generations in one statement;
  /// nil: each alone.
  var group: GenerationGroup?

  func generate(_ request: GenerationRequest, by principal: Principal) async throws
    -> GenerationResult
  {
    // On SQLite the writer is told the generation is coming, so that a group about to commit
    // waits a moment for it rather than committing without it.
    if database.engine == .sqlite, let writer = SQLiteWriterSetup.writer(of: database)?.group {
      return try await writer.announcingWrite { try await renderAndStore(request, by: principal) }
    }
    return try await renderAndStore(request, by: principal)
  }

  private func renderAndStore(_ request: GenerationRequest, by principal: Principal) async throws
    -> GenerationResult
  {
    let started = ContinuousClock.now
    let rendered = try await render(request, by: principal)
    guard let template = rendered.template, let templateVersion = template.version
    else { throw AppError.badRequest("is required", field: "templateId") }
    let result = try await store(
      text: rendered.text, tokens: rendered.tokens, encoding: rendered.encoding,
      request: request, principal: principal, issue: rendered.issue,
      template: template, templateVersion: templateVersion,
      vars: rendered.vars, snapshot: SHA256Digest.hex(rendered.issue.variables.compactJSON))
    metrics.recordGeneration(tokens: rendered.tokens, duration: ContinuousClock.now - started)
    return result
  }

  /// What `generate` would store, rendered and counted, with nothing written: the console's
  /// live preview, and a draft (`templateOverride` without `templateId`) that has no template.
  func render(_ request: GenerationRequest, by principal: Principal) async throws
    -> RenderedPrompt
  {
    let encoding: Encoding
    do {
      encoding = try Encoding.forModel(request.model)
    } catch {
      throw AppError.validation(field: "model", reason: "\(error)")
    }
    let (issue, template) = try await issueAndTemplate(of: request, companyID: principal.companyID)
    guard let issue else { throw AppError.notFound("Issue") }
    var stored: GenerationTemplate.Version?
    if request.templateID != nil {
      guard let template else { throw AppError.notFound("Template") }
      guard !template.archived else {
        throw AppError.conflict("The template is archived: it can no longer be used to generate.")
      }
      guard let version = template.version else {
        throw AppError.notFound("Template version \(template.versionNumber)")
      }
      stored = version
    }
    guard let source = request.overrideBody ?? stored?.bodyMarkdown else {
      throw AppError.badRequest("is required without templateOverride", field: "templateId")
    }
    // An override without its own schema is checked against the stored template's.
    let schemaJSON: JSONValue? =
      request.overrideBody != nil && request.overrideSchema != nil
      ? request.overrideSchema : try stored?.lintJSON.map { try JSONValue(parsing: $0) }
    if request.overrideBody != nil {
      _ = try await templates.lintOrRefuse(
        body: source, schema: schemaJSON, name: template?.name,
        companyID: principal.companyID)
    }
    let vars = try Self.validatedVars(request.vars, schemaJSON: schemaJSON)

    let field = request.overrideBody == nil ? "templateId" : "templateOverride.bodyMd"
    let limits = templates.limits
    let compiled: CompiledTemplate
    do {
      compiled = try templates.cache.compiled(source, limits: limits)
    } catch {
      throw Self.renderFailed(error, field: field)
    }
    // Only a template that calls a partial needs the company's templates (a query that reads
    // every template body of the company).
    let partials =
      compiled.usesPartials
      ? try await templates.partials(companyID: principal.companyID)
      : PartialDictionary([:], cache: templates.cache)
    let context = BuiltinVariables.renderContext(issue: issue.variables, vars: vars)
    let large = source.utf8.count + request.vars.compactJSON.utf8.count > OffLoop.threshold
    let (text, tokens) = try await OffLoop.run(if: large) { () throws -> (String, Int) in
      let text: String
      do throws(TemplateError) {
        text = try compiled.render(
          context, partials: partials, limits: limits, tokens: EncodingTruncator(encoding: encoding)
        )
      } catch {
        throw Self.renderFailed(error, field: field)
      }
      return (text, encoding.count(text))
    }
    if request.overrideBody == nil, let maxTokens = stored?.maxTokens, tokens > maxTokens,
      !request.allowOverBudget
    {
      throw TokenBudget.exceeded(
        tokens: tokens, maxTokens: maxTokens,
        largest: TokenBudget.largest(context: context, source: source, encoding: encoding))
    }
    return RenderedPrompt(
      text: text, tokens: tokens, encoding: encoding.name.rawValue, issue: issue,
      template: template, vars: vars)
  }

  /// The request's issue and template (at its version), read together; nil when the issue
  /// does not exist, when the request names no template or it does not exist.
  private func issueAndTemplate(of request: GenerationRequest, companyID: UUID) async throws
    -> (GenerationIssue?, GenerationTemplate?)
  {
    guard let templateID = request.templateID else {
      let issue = try await GenerationIssue.find(
        request.issueID, companyID: companyID, on: database)
      return (issue, nil)
    }
    let statements = Self.sourceStatements(
      issueID: request.issueID, templateID: templateID, companyID: companyID,
      version: request.templateVersion, label: request.templateLabel)
    let rows: [[any SQLRow]]
    if let prefetched = prefetched?.rows(of: statements) {
      rows = prefetched
    } else if database.engine == .postgres,
      let issueStatement = statements[0] as? GenerationIssue.Statement,
      let templateStatement = statements[1] as? GenerationTemplate.Statement
    {
      let together = GenerationSourcesTogether(issue: issueStatement, template: templateStatement)
      rows = try together.split(try await database.firstRow(together))
    } else {
      let (issueRows, templateRows) = try await database.rows(statements[0], statements[1])
      rows = [issueRows, templateRows]
    }
    let issue = try rows[0].first.map { try GenerationIssue(id: request.issueID, row: $0) }
    guard let issue else { return (nil, nil) }
    let template = try rows[1].first.map {
      try GenerationTemplate(
        id: templateID, version: request.templateVersion, label: request.templateLabel, row: $0)
    }
    return (issue, template)
  }

  /// A generation's first reads: its issue (`GenerationIssue.Statement`) and its template at
  /// the version asked for (`GenerationTemplate.Statement`), in that order.
  static func sourceStatements(
    issueID: UUID, templateID: UUID, companyID: UUID, version: Int?, label: String?
  ) -> [any FixedStatement] {
    [
      GenerationIssue.Statement(id: issueID, companyID: companyID),
      GenerationTemplate.Statement(
        id: templateID, companyID: companyID, version: version, label: label),
    ]
  }

  static func renderFailed(_ error: TemplateError, field: String) -> AppError {
    if error.kind == .limitExceeded, let limit = error.limit {
      return .renderLimitExceeded(limit, message: error.description, field: field)
    }
    return AppError(
      .unprocessableEntity, type: "template-render-failed",
      title: "The template failed to render", detail: error.description,
      errors: [.init(field: field, reason: error.description)])
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

  /// Appends the version in one transaction, numbered by the prompt's `version_count` (whose
  /// row the `UPDATE` locks to the commit). Plain SQL, no models
  /// (see `GenerationIssue`); the event comes last, as its trigger locks the day's statistics
  /// row (`generation_daily_stats`) until the commit.
  ///
  /// Three paths for one write, each for a measured reason (docs/performance.md): on PostgreSQL
  /// `StoreInOneStatement` does it in one round trip instead of nine, and this transaction is
  /// its fallback when concurrent generations of a new prompt get in the way; on SQLite the
  /// same statements run on the writer's own connection (`storeDirectly`), and this transaction
  /// only when the caller is already inside one. `AuditTrailTests` and `CoreLoopTests` check
  /// that they store the same rows.
  private func store(
    text: String, tokens: Int, encoding: String, request: GenerationRequest,
    principal: Principal, issue: GenerationIssue, template: GenerationTemplate,
    templateVersion: GenerationTemplate.Version, vars: JSONValue, snapshot: String
  ) async throws -> GenerationResult {
    if database.engine == .postgres,
      let stored = try await storeInOneStatement(
        text: text, tokens: tokens, encoding: encoding, request: request, principal: principal,
        issue: issue, template: template, templateVersion: templateVersion, vars: vars,
        snapshot: snapshot)
    {
      return stored
    }
    if database.engine == .sqlite, let writer = SQLiteWriterSetup.writer(of: database)?.group {
      return try await storeDirectly(
        text: text, tokens: tokens, encoding: encoding, request: request, principal: principal,
        issue: issue, template: template, templateVersion: templateVersion, vars: vars,
        snapshot: snapshot, writer: writer)
    }
    return try await database.writeTransaction(attempts: 10) { transaction in
      let now = Date()
      let (promptID, version, created) = try await advanceOrCreatePrompt(
        issueID: issue.id, templateID: template.id, principal: principal, now: now,
        on: transaction)
      let versionID = UUID.v7()
      let overrideLint = request.overrideBody == nil ? nil : request.overrideSchema?.compactJSON
      try await transaction.run(
        InsertVersion(
          id: versionID, version: version, promptID: promptID, companyID: principal.companyID,
          creatorID: principal.userID, text: text, tokens: tokens, encoding: encoding,
          model: request.model, templateVersionID: templateVersion.id,
          overrideBody: request.overrideBody, overrideLint: overrideLint,
          vars: vars.compactJSON, snapshot: snapshot, templateLabel: template.label,
          allowOverBudget: request.allowOverBudget, now: now))
      try await auditor?.record(
        created ? .promptCreated : .promptUpdated, .prompt, id: promptID,
        changed: created ? Self.changedOnCreate : Self.changedOnUpdate,
        details: ["version": String(version)], on: transaction)
      try await transaction.run(
        InsertEvent(
          id: UUID.v7(), companyID: principal.companyID, versionID: versionID,
          templateID: template.id, userID: principal.userID, tokens: tokens,
          ide: request.ide, now: now))
      return GenerationResult(
        promptID: promptID, promptVersionID: versionID, version: version, text: text,
        tokens: tokens, encoding: encoding, templateVersion: template.versionNumber,
        templateLabel: template.label)
    }
  }

  /// SQLite's path: the same statements on the writer's own connection, the whole group's
  /// transaction in one job on its thread (`SQLiteDirectConnection`), and SQLite's single
  /// writer needs no retry.
  private func storeDirectly(
    text: String, tokens: Int, encoding: String, request: GenerationRequest,
    principal: Principal, issue: GenerationIssue, template: GenerationTemplate,
    templateVersion: GenerationTemplate.Version, vars: JSONValue, snapshot: String,
    writer: AppWriteGroup
  ) async throws -> GenerationResult {
    let overrideLint = request.overrideBody == nil ? nil : request.overrideSchema?.compactJSON
    let auditor = auditor
    let stored = try await writer.direct { connection in
      let now = Date()
      let (promptID, version, created) = try Self.advanceOrCreatePrompt(
        issueID: issue.id, templateID: template.id, principal: principal, now: now,
        on: connection)
      let versionID = UUID.v7()
      _ = try InsertVersion(
        id: versionID, version: version, promptID: promptID, companyID: principal.companyID,
        creatorID: principal.userID, text: text, tokens: tokens, encoding: encoding,
        model: request.model, templateVersionID: templateVersion.id,
        overrideBody: request.overrideBody, overrideLint: overrideLint,
        vars: vars.compactJSON, snapshot: snapshot, templateLabel: template.label,
        allowOverBudget: request.allowOverBudget, now: now
      ).rows(on: connection)
      if let auditor {
        _ = try auditor.statement(
          created ? .promptCreated : .promptUpdated, .prompt, id: promptID,
          changed: created ? Self.changedOnCreate : Self.changedOnUpdate,
          details: ["version": String(version)]
        ).rows(on: connection)
      }
      _ = try InsertEvent(
        id: UUID.v7(), companyID: principal.companyID, versionID: versionID,
        templateID: template.id, userID: principal.userID, tokens: tokens,
        ide: request.ide, now: now
      ).rows(on: connection)
      return (
        created: created,
        result: GenerationResult(
          promptID: promptID, promptVersionID: versionID, version: version, text: text,
          tokens: tokens, encoding: encoding, templateVersion: template.versionNumber,
          templateLabel: template.label)
      )
    }
    auditor?.logRecorded(
      stored.created ? .promptCreated : .promptUpdated, .prompt, id: stored.result.promptID,
      changed: stored.created ? Self.changedOnCreate : Self.changedOnUpdate,
      details: ["version": String(stored.result.version)])
    return stored.result
  }

  /// `advanceOrCreatePrompt` on the writer's own connection, in one statement.
  private static func advanceOrCreatePrompt(
    issueID: UUID, templateID: UUID, principal: Principal, now: Date,
    on connection: SQLiteDirectConnection
  ) throws -> (id: UUID, version: Int, created: Bool) {
    guard
      let row = try CreateOrAdvancePrompt(
        prompt: InsertPrompt(
          id: UUID.v7(), companyID: principal.companyID, issueID: issueID,
          templateID: templateID, creatorID: principal.userID, now: now)
      ).rows(on: connection).first
    else { throw AppError.notFound("Prompt") }
    return (
      try row.decode(column: "id", as: UUID.self),
      try row.decode(column: "version_count", as: Int.self),
      try row.decode(column: "created", as: Bool.self)
    )
  }

  /// What a generation's audit row lists as changed.
  static let changedOnCreate = ["issueId", "templateId", "version"]
  static let changedOnUpdate = ["version"]
  /// The same as `audit_events.changed_fields`, encoded once rather than per generation
  /// (encoding an array of strings cannot fail).
  static let changedOnCreateJSON = try! AuditLog.json(changedFields: changedOnCreate)
  static let changedOnUpdateJSON = try! AuditLog.json(changedFields: changedOnUpdate)

  /// PostgreSQL's one round trip (`StoreInOneStatement`), in a group with the generations that
  /// arrive while the process's previous group is stored (`GenerationGroup`); nil when
  /// concurrent generations of a new prompt got in its way twice, and the transaction must
  /// do it.
  private func storeInOneStatement(
    text: String, tokens: Int, encoding: String, request: GenerationRequest,
    principal: Principal, issue: GenerationIssue, template: GenerationTemplate,
    templateVersion: GenerationTemplate.Version, vars: JSONValue, snapshot: String
  ) async throws -> GenerationResult? {
    let now = Date()
    let versionID = UUID.v7()
    let overrideLint = request.overrideBody == nil ? nil : request.overrideSchema?.compactJSON
    let statement = StoreInOneStatement(
      newPromptID: UUID.v7(), companyID: principal.companyID, issueID: issue.id,
      templateID: template.id, userID: principal.userID, now: now, versionID: versionID,
      text: text, tokens: tokens, encoding: encoding, model: request.model,
      templateVersionID: templateVersion.id, overrideBody: request.overrideBody,
      overrideLint: overrideLint, vars: vars.compactJSON, snapshot: snapshot,
      templateLabel: template.label, allowOverBudget: request.allowOverBudget,
      eventID: UUID.v7(),
      ide: request.ide,
      audited: auditor != nil, client: auditor?.client)
    let stored: StoredGeneration?
    if let group, !database.inTransaction {
      let (database, metrics) = (database, metrics)
      let outcome = await group.submit(statement) { generations in
        metrics.recordGroup(size: generations.count)
        return await Self.storeGroup(generations, on: database)
      }
      switch outcome {
      case .stored(let generation): stored = generation
      case .alone: stored = try await Self.storeAlone(statement, on: database)
      case .inTransaction: stored = nil
      case .failed(let error): throw error
      }
    } else {
      stored = try await Self.storeAlone(statement, on: database)
    }
    guard let stored else { return nil }
    let (promptID, version, created) = (stored.promptID, stored.version, stored.created)
    auditor?.logRecorded(
      created ? .promptCreated : .promptUpdated, .prompt, id: promptID,
      changed: created ? Self.changedOnCreate : Self.changedOnUpdate,
      details: ["version": String(version)])
    return GenerationResult(
      promptID: promptID, promptVersionID: versionID, version: version, text: text,
      tokens: tokens, encoding: encoding, templateVersion: template.versionNumber,
      templateLabel: template.label)
  }

  /// The prompt and its next version number, the prompt created when it is new; its row is
  /// locked until the commit on PostgreSQL (SQLite has a single writer).
  private func advanceOrCreatePrompt(
    issueID: UUID, templateID: UUID, principal: Principal, now: Date, on database: any Database
  ) async throws -> (id: UUID, version: Int, created: Bool) {
    if let existing = try await database.firstRow(
      AdvancePrompt(issueID: issueID, templateID: templateID, creatorID: principal.userID))
    {
      return (
        try existing.decode(column: "id", as: UUID.self),
        try existing.decode(column: "version_count", as: Int.self), false
      )
    }
    let id = UUID.v7()
    try await database.run(
      InsertPrompt(
        id: id, companyID: principal.companyID, issueID: issueID, templateID: templateID,
        creatorID: principal.userID, now: now))
    guard
      let version = try await database.firstRow(NextVersion(promptID: id))
        .map({ try $0.decode(column: "version_count", as: Int.self) })
    else { throw AppError.notFound("Prompt") }
    return (id, version, true)
  }
}
