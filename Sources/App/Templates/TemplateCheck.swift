import Fluent
import Foundation
import SQLKit
import Templating
import Tokenizer

/// `POST /prompt-templates/:id/check`: renders a candidate version and a baseline for real
/// issues, with the variables their generations used, and compares the token counts. Nothing
/// is stored.
struct TemplateCheck: Sendable {
  static let defaultSample = 20
  static let maximumSample = 100

  let database: any Database
  let templates: TemplateService
  let labels: TemplateLabelService

  /// One issue to render, with the variables and model of its latest generation.
  struct Subject: Sendable {
    let issueID: UUID
    let vars: JSONValue
    let model: String
  }

  /// What one side (candidate or baseline) gave for one issue.
  struct Outcome: Sendable {
    var tokens: Int?
    var errors: [CheckResponse.Failure] = []
  }

  func run(
    template: PromptTemplate, candidate: TemplateVersionReference,
    baseline: TemplateVersionReference?, issues: [UUID]?, sample: Int, companyID: UUID
  ) async throws -> CheckResponse {
    let candidateVersion = try await labels.version(candidate, of: template, field: "candidate")
    let baselineVersion = try await self.baseline(
      baseline, candidate: candidateVersion, of: template)
    let subjects: [Subject] =
      if let issues {
        try await listed(issues, templateID: try template.requireID(), companyID: companyID)
      } else {
        try await sampled(baselineVersion, limit: sample)
      }
    let partials = try await templates.partials(companyID: companyID)
    var results: [CheckResponse.IssueResult] = []
    for subject in subjects {
      guard
        let issue = try await GenerationIssue.find(
          subject.issueID, companyID: companyID, on: database)
      else { throw AppError.notFound("Issue \(subject.issueID.lowercasedText)") }
      // A stored model was known when it generated; the default stands in should one go.
      let encoding =
        try (try? Encoding.forModel(subject.model))
        ?? Encoding.forModel(GenerationRequest.defaultModel)
      let (old, new) = try await OffLoop.run(if: true) {
        (
          render(baselineVersion, "baseline", subject, issue, encoding, partials),
          render(candidateVersion, "candidate", subject, issue, encoding, partials)
        )
      }
      results.append(
        CheckResponse.IssueResult(
          issueId: subject.issueID.lowercasedText,
          extKey: issue.variables["key"]?.stringValue ?? "",
          baselineTokens: old.tokens, candidateTokens: new.tokens,
          tokenDelta: old.tokens.flatMap { before in new.tokens.map { $0 - before } },
          errors: old.errors + new.errors))
    }
    return CheckResponse(
      templateId: try template.requireID().lowercasedText,
      candidate: candidateVersion.version, baseline: baselineVersion.version,
      results: results)
  }

  /// The baseline asked for; else `production` when it is set, else the version before the
  /// candidate.
  private func baseline(
    _ reference: TemplateVersionReference?, candidate: PromptTemplateVersion,
    of template: PromptTemplate
  ) async throws -> PromptTemplateVersion {
    if let reference { return try await labels.version(reference, of: template, field: "baseline") }
    let production = try await TemplateLabel.query(on: database)
      .filter(\.$template.$id == template.requireID())
      .filter(\.$label == TemplateLabelName.production).first()
    if production != nil {
      return try await labels.version(.label(TemplateLabelName.production), of: template)
    }
    guard candidate.version > 1 else {
      throw AppError.validation(
        field: "baseline",
        reason:
          "is required: the candidate is version 1 and the template has no production label")
    }
    return try await labels.version(.number(candidate.version - 1), of: template)
  }

  /// The latest generation with the baseline of each of the most recently generated issues.
  private func sampled(_ baseline: PromptTemplateVersion, limit: Int) async throws -> [Subject] {
    try await database.sql.raw(
      """
      SELECT issue_id, vars_json, model FROM (
        SELECT prompts.issue_id, pv.vars_json, pv.model, pv.created_at, pv.id,
          ROW_NUMBER() OVER (
            PARTITION BY prompts.issue_id ORDER BY pv.created_at DESC, pv.id DESC) AS n
        FROM prompt_versions pv JOIN prompts ON prompts.id = pv.prompt_id
        JOIN issues ON issues.id = prompts.issue_id AND issues.deleted_at IS NULL
        WHERE pv.template_version_id = \(bind: try baseline.requireID())
          AND pv.override_body_md IS NULL
      ) latest
      WHERE n = 1 ORDER BY created_at DESC, id DESC LIMIT \(bind: limit)
      """
    ).all().map(Self.subject)
  }

  /// The listed issues (404 for one the company does not have), each with the variables of its
  /// latest generation with this template, or none.
  private func listed(_ ids: [UUID], templateID: UUID, companyID: UUID) async throws
    -> [Subject]
  {
    guard !ids.isEmpty else { return [] }
    let known = try await Issue.query(on: database)
      .filter(\.$id ~~ ids).filter(\.$company.$id == companyID).filter(\.$deletedAt == nil)
      .all().compactMap(\.id)
    if let missing = ids.first(where: { !known.contains($0) }) {
      throw AppError.notFound("Issue \(missing.lowercasedText)")
    }
    let rows = try await database.sql.raw(
      """
      SELECT issue_id, vars_json, model FROM (
        SELECT prompts.issue_id, pv.vars_json, pv.model,
          ROW_NUMBER() OVER (
            PARTITION BY prompts.issue_id ORDER BY pv.created_at DESC, pv.id DESC) AS n
        FROM prompt_versions pv JOIN prompts ON prompts.id = pv.prompt_id
        WHERE prompts.template_id = \(bind: templateID) AND prompts.issue_id IN (\(binds: ids))
          AND pv.override_body_md IS NULL
      ) latest
      WHERE n = 1
      """
    ).all().map(Self.subject)
    let generated = Dictionary(
      rows.map { ($0.issueID, $0) }, uniquingKeysWith: { first, _ in first })
    return ids.map {
      generated[$0]
        ?? Subject(issueID: $0, vars: .object([:]), model: GenerationRequest.defaultModel)
    }
  }

  private static func subject(_ row: any SQLRow) throws -> Subject {
    Subject(
      issueID: try row.decode(column: "issue_id", as: UUID.self),
      vars: try JSONValue(parsing: try row.decode(column: "vars_json", as: String.self)),
      model: try row.decode(column: "model", as: String.self))
  }

  /// One side's token count, or why it has none: variables its schema refuses, or a render
  /// that fails or runs out of a budget.
  private func render(
    _ version: PromptTemplateVersion, _ side: String, _ subject: Subject,
    _ issue: GenerationIssue, _ encoding: Encoding, _ partials: PartialDictionary
  ) -> Outcome {
    let vars: JSONValue
    do {
      let schema = try version.lintJSON.map { try JSONValue(parsing: $0) }
      vars = try GenerationService.validatedVars(subject.vars, schemaJSON: schema)
    } catch let error as AppError {
      return Outcome(tokens: nil, errors: Self.failures(error, side: side))
    } catch {
      return Outcome(
        tokens: nil, errors: [.init(side: side, field: "lintJson", reason: "\(error)")])
    }
    do throws(TemplateError) {
      let compiled = try templates.cache.compiled(version.bodyMarkdown, limits: templates.limits)
      let text = try compiled.render(
        BuiltinVariables.renderContext(issue: issue.variables, vars: vars), partials: partials,
        limits: templates.limits, tokens: EncodingTruncator(encoding: encoding))
      return Outcome(tokens: encoding.count(text))
    } catch {
      let failure = GenerationService.renderFailed(error, field: "bodyMd")
      return Outcome(tokens: nil, errors: Self.failures(failure, side: side))
    }
  }

  private static func failures(_ error: AppError, side: String) -> [CheckResponse.Failure] {
    error.errors.isEmpty
      ? [.init(side: side, field: nil, reason: error.reason)]
      : error.errors.map { .init(side: side, field: $0.field, reason: $0.reason) }
  }
}
