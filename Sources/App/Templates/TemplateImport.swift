import Fluent
import Foundation
import Templating

/// `POST /prompt-templates/import`: a whole folder of templates in one transaction. Every body
/// is linted first, against the company's templates with the imported ones in place; a version
/// is written only where the content changed; with a label, it is moved to each template's
/// resulting version. All or nothing.
struct TemplateImport: Sendable {
  static let maximumTemplates = 500

  let database: any Database
  let templates: TemplateService
  let labels: TemplateLabelService

  struct Item: Sendable {
    let name: String
    let body: String
    let schema: JSONValue?
    var maxTokens: Int? = nil
  }

  enum Action: String, Sendable {
    case created, updated, unchanged
  }

  struct Outcome: Sendable {
    let name: String
    var id: UUID?
    let action: Action
    let version: Int
    let previousVersion: Int?
    let diff: String
  }

  func run(_ items: [Item], label: String?, dryRun: Bool, by principal: Principal) async throws
    -> [Outcome]
  {
    let companyID = principal.companyID
    try Self.requireDistinctNames(items)
    let imported = Dictionary(items.map { ($0.name, $0.body) }, uniquingKeysWith: { _, new in new })
    var errors: [ProblemDetails.FieldError] = []
    for (index, item) in items.enumerated() {
      let diagnostics: [Diagnostic]
      do {
        diagnostics = try await templates.lint(
          body: item.body, schema: item.schema, name: item.name, companyID: companyID,
          alongside: imported, maxTokens: item.maxTokens)
      } catch var error as AppError {
        error.errors = error.errors.map {
          .init(field: "templates/\(index)/\($0.field)", reason: $0.reason)
        }
        throw error
      }
      errors += diagnostics.filter(\.isError).map {
        .init(field: "templates/\(index)/bodyMd", reason: "\(item.name): \($0.formatted)")
      }
    }
    guard errors.isEmpty else {
      throw AppError(
        .unprocessableEntity, type: "template-lint-failed", title: "Templates have errors",
        detail: errors.map(\.reason).joined(separator: "; "), errors: errors)
    }
    let planned = try await plan(items, companyID: companyID, on: database)
    if let label {
      try await requireReview(label, planned, by: principal)
    }
    if dryRun { return planned.map(\.outcome) }
    return try await database.writeTransaction(attempts: 3) { transaction in
      // Planned again inside the transaction: what another writer changed meanwhile counts.
      var outcomes: [Outcome] = []
      for step in try await plan(items, companyID: companyID, on: transaction) {
        var outcome = step.outcome
        let template = try await apply(step, by: principal, on: transaction)
        outcome.id = try template.requireID()
        if let label {
          _ = try await labels.record(
            label, of: template, to: outcome.version, by: principal.userID, on: transaction)
        }
        outcomes.append(outcome)
      }
      return outcomes
    }
  }

  /// One template's change: the stored template (nil for a new one) and what becomes of it.
  private struct Step: Sendable {
    let item: Item
    let existing: PromptTemplate?
    let latestAuthor: UUID?
    let outcome: Outcome
  }

  private func plan(_ items: [Item], companyID: UUID, on database: any Database) async throws
    -> [Step]
  {
    let stored = try await PromptTemplate.query(on: database)
      .filter(\.$company.$id == companyID).filter(\.$archivedAt == nil)
      .filter(\.$name ~~ items.map(\.name)).all()
    let byName = Dictionary(stored.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    let authors = try await TemplateAuthors.load(templates: stored, on: database)
    return try items.map { item in
      guard let existing = byName[item.name] else {
        return Step(
          item: item, existing: nil, latestAuthor: nil,
          outcome: Outcome(
            name: item.name, id: nil, action: .created, version: 1, previousVersion: nil,
            diff: LineDiff(old: "", new: item.body).unified(
              oldLabel: "/dev/null", newLabel: "\(item.name) v1")))
      }
      // Compared as JSON, not as text: the API answers schemas with sorted keys.
      let storedSchema = try existing.lintJSON.map { try JSONValue(parsing: $0) }
      let changed =
        existing.bodyMarkdown != item.body || storedSchema != item.schema
        || existing.maxTokens != item.maxTokens
      let version = existing.latestVersion + (changed ? 1 : 0)
      return Step(
        item: item, existing: existing,
        latestAuthor: try authors.latestAuthor(of: existing.requireID()),
        outcome: Outcome(
          name: item.name, id: try existing.requireID(), action: changed ? .updated : .unchanged,
          version: version, previousVersion: existing.latestVersion,
          diff: changed
            ? LineDiff(old: existing.bodyMarkdown, new: item.body).unified(
              oldLabel: "\(item.name) v\(existing.latestVersion)",
              newLabel: "\(item.name) v\(version)") : ""))
    }
  }

  private func apply(_ step: Step, by principal: Principal, on transaction: any Database)
    async throws -> PromptTemplate
  {
    guard let template = step.existing else {
      let template = PromptTemplate(
        companyID: principal.companyID, name: step.item.name, bodyMarkdown: step.item.body,
        lintJSON: step.item.schema?.compactJSON, createdBy: principal.userID)
      template.maxTokens = step.item.maxTokens
      try await templates.insert(template, by: principal.userID, on: transaction)
      return template
    }
    guard step.outcome.action == .updated else { return template }
    var changed: [String] = []
    if template.bodyMarkdown != step.item.body { changed.append("bodyMd") }
    if try template.lintJSON.map({ try JSONValue(parsing: $0) }) != step.item.schema {
      changed.append("lintJson")
    }
    if template.maxTokens != step.item.maxTokens { changed.append("maxTokens") }
    template.bodyMarkdown = step.item.body
    template.lintJSON = step.item.schema?.compactJSON
    template.maxTokens = step.item.maxTokens
    template.latestVersion = step.outcome.version
    try await templates.save(
      template, newVersion: true, changed: changed, by: principal.userID, on: transaction)
    return template
  }

  /// Four-eyes for the label: every version it would move to must be someone else's.
  private func requireReview(_ label: String, _ steps: [Step], by principal: Principal)
    async throws
  {
    for step in steps {
      let author = step.outcome.action == .unchanged ? step.latestAuthor : principal.userID
      guard let author else { continue }
      try await labels.requireReview(
        label, version: step.outcome.version, author: author, by: principal,
        companyID: principal.companyID)
    }
  }

  private static func requireDistinctNames(_ items: [Item]) throws {
    var seen: Set<String> = []
    for (index, item) in items.enumerated() {
      guard seen.insert(item.name).inserted else {
        throw AppError.validation(
          field: "templates/\(index)/name", reason: "\"\(item.name)\" appears twice")
      }
    }
  }
}
