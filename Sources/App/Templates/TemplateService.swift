import Fluent
import Foundation
import SQLKit
import Templating

/// Creating, versioning and archiving templates; every saved body is linted first.
struct TemplateService: Sendable {
  static let maximumBodyBytes = 256 * 1024

  let database: any Database
  let cache: TemplateCache
  /// The render and lint budgets (`RENDER_MAX_*`).
  var limits = RenderLimits.default
  /// Writes each change's audit row in the change's transaction; nil outside a request.
  /// The author of every change; a template changes only at a user's request.
  var auditor: Auditor
  /// Tells subscribers of each new version, in the version's transaction.
  var events: TemplateEvents

  /// The company's live templates as partials, by name; `replacing` stands in for a template
  /// being saved, so that it can be checked for cycles through itself.
  func partials(companyID: UUID, replacing: [String: String] = [:]) async throws
    -> PartialDictionary
  {
    // Plain rows, not Fluent models: every generation reads all of a company's templates here,
    // and Fluent's per-row reflection made this the largest part of `POST /prompts/generate`'s
    // decoding work (perf, 2026-11-26).
    var sources: [String: String] = [:]
    for row in try await database.sql.select()
      .column("name").column("body_md").from(PromptTemplate.schema)
      .where("company_id", .equal, SQLBind(companyID))
      .where("archived_at", .is, SQLLiteral.null)
      .all()
    {
      sources[try row.decode(column: "name", as: String.self)] = try row.decode(
        column: "body_md", as: String.self)
    }
    sources.merge(replacing) { _, new in new }
    return PartialDictionary(sources, cache: cache)
  }

  /// Lints a body and schema; refuses with 422 and every diagnostic when any is an error.
  func lintOrRefuse(
    body: String, schema: JSONValue?, name: String?, companyID: UUID, maxTokens: Int? = nil
  ) async throws -> [Diagnostic] {
    let diagnostics = try await lint(
      body: body, schema: schema, name: name, companyID: companyID, maxTokens: maxTokens)
    if let exceeded = diagnostics.first(where: { $0.limit != nil }), let limit = exceeded.limit {
      var error = AppError.renderLimitExceeded(
        limit, message: exceeded.formatted, field: "bodyMd")
      error.diagnostics = diagnostics.map(DiagnosticResponse.init)
      throw error
    }
    let errors = diagnostics.filter(\.isError)
    guard errors.isEmpty else { throw AppError.lintFailed(errors, all: diagnostics) }
    return diagnostics.filter { !$0.isError }
  }

  /// Every diagnostic of a body and schema against the company's templates as partials; `name`
  /// stands for the template itself (nil for one not yet named), so a cycle through it shows.
  func lint(
    body: String, schema: JSONValue?, name: String?, companyID: UUID,
    alongside others: [String: String] = [:], maxTokens: Int? = nil
  ) async throws -> [Diagnostic] {
    if body.utf8.count > Self.maximumBodyBytes {
      throw AppError.validation(
        field: "bodyMd", reason: "must be at most \(Self.maximumBodyBytes) bytes")
    }
    if let schema, schema.objectValue == nil, schema.boolValue == nil {
      throw AppError.validation(field: "lintJson", reason: "must be a JSON Schema object")
    }
    var replacing = others
    if let name { replacing[name] = body }
    let partials = try await partials(companyID: companyID, replacing: replacing)
    let limits = limits
    return try await OffLoop.run(if: body.utf8.count > OffLoop.threshold) {
      let diagnostics = Linter.lint(body, schemaJSON: schema, partials: partials, limits: limits)
      guard let maxTokens, !diagnostics.contains(where: \.isError) else { return diagnostics }
      return diagnostics
        + TokenBudget.fixedTextWarning(
          body, maxTokens: maxTokens, partials: partials, limits: limits)
    }
  }

  func create(
    companyID: UUID, userID: UUID, name rawName: String, body: String, schema: JSONValue?,
    maxTokens: Int? = nil
  ) async throws -> (PromptTemplate, [Diagnostic]) {
    let name = try Self.validName(rawName)
    let warnings = try await lintOrRefuse(
      body: body, schema: schema, name: name, companyID: companyID, maxTokens: maxTokens)
    try await ensureNameIsFree(name, companyID: companyID, except: nil)
    let template = PromptTemplate(
      companyID: companyID, name: name, bodyMarkdown: body, lintJSON: schema?.compactJSON,
      createdBy: userID)
    template.maxTokens = maxTokens
    try await database.writeTransaction { transaction in
      try await insert(template, by: userID, on: transaction)
    }
    return (template, warnings)
  }

  /// A new template and its version 1, with the audit row and the event, in the caller's
  /// transaction.
  func insert(_ template: PromptTemplate, by userID: UUID, on transaction: any Database)
    async throws
  {
    try await template.create(on: transaction)
    try await PromptTemplateVersion(
      templateID: try template.requireID(), version: 1, bodyMarkdown: template.bodyMarkdown,
      lintJSON: template.lintJSON, maxTokens: template.maxTokens, createdBy: userID
    ).create(on: transaction)
    try await auditor.record(
      .templateCreated, .template, id: try template.requireID(),
      changed: ["name", "bodyMd"] + (template.lintJSON == nil ? [] : ["lintJson"])
        + (template.maxTokens == nil ? [] : ["maxTokens"]),
      on: transaction)
    try await events.versionCreated(template, version: 1, by: userID, on: transaction)
  }

  /// Applies a partial update; a new body, schema or token budget becomes a new version.
  func update(
    _ template: PromptTemplate, userID: UUID, name rawName: String?, body: String?,
    schema: JSONValue??, maxTokens: Int?? = .none
  ) async throws -> (PromptTemplate, [Diagnostic]) {
    let companyID = template.$company.id
    let name = try rawName.map(Self.validName) ?? template.name
    let newBody = body ?? template.bodyMarkdown
    let storedSchema = try template.lintJSON.map { try JSONValue(parsing: $0) }
    let newSchema: JSONValue? =
      switch schema {
      case .some(let given): given
      case .none: storedSchema
      }
    // Schemas compare as JSON, not as text: the API answers them with sorted keys, and sending
    // one back as it came is no change.
    let schemaChanged = newSchema != storedSchema
    let newMaxTokens: Int? =
      switch maxTokens {
      case .some(let given): given
      case .none: template.maxTokens
      }
    let budgetChanged = newMaxTokens != template.maxTokens
    let contentChanged = newBody != template.bodyMarkdown || schemaChanged || budgetChanged
    var warnings: [Diagnostic] = []
    if contentChanged || name != template.name {
      warnings = try await lintOrRefuse(
        body: newBody, schema: newSchema, name: name, companyID: companyID,
        maxTokens: newMaxTokens)
    }
    if name != template.name {
      try await ensureNameIsFree(name, companyID: companyID, except: template.id)
    }
    var changed: [String] = []
    if name != template.name { changed.append("name") }
    if newBody != template.bodyMarkdown { changed.append("bodyMd") }
    if schemaChanged { changed.append("lintJson") }
    if budgetChanged { changed.append("maxTokens") }
    let changedFields = changed
    template.name = name
    if contentChanged {
      template.bodyMarkdown = newBody
      template.lintJSON = newSchema?.compactJSON
      template.maxTokens = newMaxTokens
      template.latestVersion += 1
    }
    try await database.writeTransaction { transaction in
      try await save(
        template, newVersion: contentChanged, changed: changedFields, by: userID,
        on: transaction)
    }
    return (template, warnings)
  }

  /// Saves a changed template, with its new version (`latestVersion`, body and schema already
  /// set) when the content changed, the audit row and the event, in the caller's transaction.
  func save(
    _ template: PromptTemplate, newVersion: Bool, changed: [String], by userID: UUID,
    on transaction: any Database
  ) async throws {
    try await template.save(on: transaction)
    if newVersion {
      try await PromptTemplateVersion(
        templateID: try template.requireID(), version: template.latestVersion,
        bodyMarkdown: template.bodyMarkdown, lintJSON: template.lintJSON,
        maxTokens: template.maxTokens, createdBy: userID
      ).create(on: transaction)
      try await events.versionCreated(
        template, version: template.latestVersion, by: userID, on: transaction)
    }
    if !changed.isEmpty {
      try await auditor.record(
        .templateUpdated, .template, id: try template.requireID(), changed: changed,
        on: transaction)
    }
  }

  /// Archives a live template (the delete of the API: versions stay for the prompts made
  /// from them).
  func archive(_ template: PromptTemplate) async throws {
    guard template.archivedAt == nil else { return }
    template.archivedAt = Date()
    try await database.writeTransaction { transaction in
      try await template.save(on: transaction)
      try await auditor.record(
        .templateDeleted, .template, id: try template.requireID(), changed: ["archivedAt"],
        on: transaction)
    }
  }

  func find(_ id: UUID, companyID: UUID) async throws -> PromptTemplate {
    guard
      let template = try await PromptTemplate.query(on: database)
        .filter(\.$id == id).filter(\.$company.$id == companyID).first()
    else { throw AppError.notFound("Template") }
    return template
  }

  private func ensureNameIsFree(_ name: String, companyID: UUID, except id: UUID?) async throws {
    var query = PromptTemplate.query(on: database)
      .filter(\.$company.$id == companyID).filter(\.$name == name).filter(\.$archivedAt == nil)
    if let id { query = query.filter(\.$id != id) }
    if try await query.first() != nil {
      var error = AppError.conflict("A template named \"\(name)\" already exists in this company.")
      error.errors = [.init(field: "name", reason: "is already the name of another template")]
      throw error
    }
  }

  static func validName(_ raw: String) throws -> String {
    let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !name.isEmpty, name.count <= 200 else {
      throw AppError.validation(field: "name", reason: "must be 1 to 200 characters")
    }
    guard !name.contains(where: { $0.isWhitespace || $0 == "}" || $0 == "{" }) else {
      throw AppError.validation(
        field: "name", reason: "must not contain whitespace or braces (it names a partial)")
    }
    return name
  }
}

extension AppError {
  /// A template that does not lint: every diagnostic, errors first, with positions.
  static func lintFailed(_ errors: [Diagnostic], all: [Diagnostic]) -> AppError {
    var error = AppError(
      .unprocessableEntity, type: "template-lint-failed", title: "The template has errors",
      detail: errors.map(\.formatted).joined(separator: "; "),
      errors: errors.map { .init(field: "bodyMd", reason: $0.formatted) })
    error.diagnostics = all.map(DiagnosticResponse.init)
    return error
  }
}
