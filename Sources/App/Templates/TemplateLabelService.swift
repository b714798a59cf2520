import Fluent
import Foundation
import SQLKit

/// Labels of a template: which version each names, moves with their history, and the
/// company's four-eyes rule for protected labels.
struct TemplateLabelService: Sendable {
  let database: any Database
  /// The author of every move and of its audit row.
  let auditor: Auditor
  /// Tells subscribers of each move, in the move's transaction.
  let events: TemplateEvents

  /// The template's labels, by name.
  func list(templateID: UUID) async throws -> [TemplateLabel] {
    try await TemplateLabel.query(on: database).filter(\.$template.$id == templateID)
      .sort(\.$label).all()
  }

  /// The version a reference names: a number that exists, `latest`, or a label that is set;
  /// otherwise 404, or a 422 on `field` when the reference came in a request body.
  func version(
    _ reference: TemplateVersionReference, of template: PromptTemplate, field: String? = nil
  ) async throws -> PromptTemplateVersion {
    do {
      return try await lookUp(reference, of: template)
    } catch let error as AppError where error.status == .notFound && field != nil {
      throw AppError.validation(
        field: field ?? "", reason: "names no version of this template (\(reference))")
    }
  }

  private func lookUp(_ reference: TemplateVersionReference, of template: PromptTemplate)
    async throws -> PromptTemplateVersion
  {
    let templateID = try template.requireID()
    let number: Int
    switch reference {
    case .number(let given):
      number = given
    case .label(TemplateLabelName.latest):
      number = template.latestVersion
    case .label(let label):
      guard
        let found = try await TemplateLabel.query(on: database)
          .filter(\.$template.$id == templateID).filter(\.$label == label).first()
      else { throw AppError.notFound("Label \"\(label)\" of this template") }
      number = found.version
    }
    guard
      let version = try await PromptTemplateVersion.query(on: database)
        .filter(\.$template.$id == templateID).filter(\.$version == number).first()
    else { throw AppError.notFound("Template version \(number)") }
    return version
  }

  /// Points `label` at `version`; the last committed move wins and every move is in the
  /// history. A protected label (`requireReviewFor`) refuses the version's own author.
  func move(
    _ label: String, of template: PromptTemplate, to versionNumber: Int, by principal: Principal
  ) async throws -> TemplateLabel {
    let templateID = try template.requireID()
    guard template.archivedAt == nil else { throw AppError.conflict("The template is archived.") }
    guard
      let target = try await PromptTemplateVersion.query(on: database)
        .filter(\.$template.$id == templateID).filter(\.$version == versionNumber).first()
    else {
      throw AppError.validation(
        field: "version",
        reason:
          "the template has no version \(versionNumber) (its latest is \(template.latestVersion))")
    }
    try await requireReview(
      label, version: versionNumber, author: target.$createdBy.id, by: principal,
      companyID: template.$company.id)
    return try await database.writeTransaction(attempts: 5) { transaction in
      try await self.record(
        label, of: template, to: versionNumber, by: principal.userID, on: transaction)
    }
  }

  /// The move itself, in the caller's transaction: the label row, its history, the audit row
  /// and the event. Moving a label to the version it names already changes nothing.
  func record(
    _ label: String, of template: PromptTemplate, to versionNumber: Int, by userID: UUID,
    on transaction: any Database
  ) async throws -> TemplateLabel {
    let templateID = try template.requireID()
    try await Self.lockTemplate(templateID, on: transaction)
    let existing = try await TemplateLabel.query(on: transaction)
      .filter(\.$template.$id == templateID).filter(\.$label == label).first()
    if let existing, existing.version == versionNumber { return existing }
    let now = Date()
    let previous = existing?.version
    let row =
      existing
      ?? TemplateLabel(
        templateID: templateID, label: label, version: versionNumber, movedBy: userID,
        movedAt: now)
    row.version = versionNumber
    row.$movedBy.id = userID
    row.movedAt = now
    try await row.save(on: transaction)
    try await TemplateLabelMove(
      templateID: templateID, label: label,
      sequence: try await Self.nextSequence(templateID, label, on: transaction),
      version: versionNumber, previousVersion: previous, movedBy: userID, movedAt: now
    ).create(on: transaction)
    var details = ["label": label, "version": String(versionNumber)]
    details["previousVersion"] = previous.map(String.init)
    try await auditor.record(
      .templateLabelMoved, .template, id: templateID, changed: ["labels"], details: details,
      on: transaction)
    try await events.labelMoved(
      template, label: label, version: versionNumber, previousVersion: previous, by: userID,
      on: transaction)
    return row
  }

  /// Removes a label (404 when it is not set); the removal is in the history with no version.
  func remove(_ label: String, of template: PromptTemplate, by principal: Principal)
    async throws
  {
    let templateID = try template.requireID()
    let auditor = auditor
    let events = events
    try await database.writeTransaction(attempts: 5) { transaction in
      try await Self.lockTemplate(templateID, on: transaction)
      guard
        let existing = try await TemplateLabel.query(on: transaction)
          .filter(\.$template.$id == templateID).filter(\.$label == label).first()
      else { throw AppError.notFound("Label \"\(label)\" of this template") }
      try await existing.delete(on: transaction)
      try await TemplateLabelMove(
        templateID: templateID, label: label,
        sequence: try await Self.nextSequence(templateID, label, on: transaction), version: nil,
        previousVersion: existing.version, movedBy: principal.userID, movedAt: Date()
      ).create(on: transaction)
      try await auditor.record(
        .templateLabelRemoved, .template, id: templateID, changed: ["labels"],
        details: ["label": label, "previousVersion": String(existing.version)], on: transaction)
      try await events.labelMoved(
        template, label: label, version: nil, previousVersion: existing.version,
        by: principal.userID, on: transaction)
    }
  }

  /// Every move of a label, newest first (removals included, with no version).
  func history(_ label: String, templateID: UUID) async throws -> [TemplateLabelMove] {
    try await TemplateLabelMove.query(on: database)
      .filter(\.$template.$id == templateID).filter(\.$label == label)
      .sort(\.$sequence, .descending).all()
  }

  /// The number of a label's next move, read under the template's lock (and, should two
  /// writers still meet, refused by the unique index and retried).
  private static func nextSequence(_ templateID: UUID, _ label: String, on database: any Database)
    async throws -> Int
  {
    let last = try await TemplateLabelMove.query(on: database)
      .filter(\.$template.$id == templateID).filter(\.$label == label)
      .max(\.$sequence)
    return (last ?? 0) + 1
  }

  /// Four-eyes: a label the company protects takes a version only from someone who did not
  /// write it.
  func requireReview(
    _ label: String, version: Int, author: UUID, by principal: Principal, companyID: UUID
  ) async throws {
    guard author == principal.userID,
      let company = try await Company.find(companyID, on: database),
      company.requireReviewFor.contains(label)
    else { return }
    let approvers = try await User.query(on: database)
      .filter(\.$company.$id == companyID).filter(\.$disabled == false)
      .filter(\.$role ~~ [.lead, .admin]).filter(\.$id != principal.userID)
      .sort(\.$name).all()
    throw AppError.reviewRequired(
      label: label, version: version,
      approvers: try approvers.map {
        ProblemDetails.Approver(
          id: try $0.requireID().lowercasedText, name: $0.name, email: $0.email)
      })
  }

  /// Orders concurrent moves of a template's labels on PostgreSQL (SQLite has one writer):
  /// each reads the label's previous version after the last move committed. `NO KEY UPDATE`
  /// leaves the foreign-key checks of generations on the template unblocked.
  private static func lockTemplate(_ id: UUID, on database: any Database) async throws {
    guard database.engine == .postgres else { return }
    _ = try await database.sql.raw(
      "SELECT id FROM prompt_templates WHERE id = \(bind: id) FOR NO KEY UPDATE"
    ).all()
  }
}

extension AppError {
  /// Four-eyes: the version's author may not move a protected label to it.
  static func reviewRequired(label: String, version: Int, approvers: [ProblemDetails.Approver])
    -> AppError
  {
    let names = approvers.map { $0.name.isEmpty ? $0.email : $0.name }
    let who =
      names.isEmpty
      ? "The company has no other lead or admin yet: an admin must add one."
      : "It may be approved by \(names.joined(separator: ", "))."
    var error = AppError(
      .forbidden, type: "review-required", title: "Review required",
      detail:
        "\"\(label)\" requires a second person: the author of version \(version) cannot move it there. \(who)",
      errors: [.init(field: "version", reason: "was written by you; \"\(label)\" needs a reviewer")]
    )
    error.approvers = approvers
    return error
  }
}
