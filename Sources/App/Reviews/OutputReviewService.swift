import Fluent
import Foundation
import JSONCore

/// Reviews of outputs: the output's author or a lead or admin of its company says whether the
/// work was accepted; one current review per output, every change audited.
struct OutputReviewService: Sendable {
  enum Verdict: String, CaseIterable, Sendable {
    case accepted
    case changesRequested = "changes_requested"
    case rejected
  }

  static let maximumLinks = 20
  static let maximumLinkLength = 2000
  static let maximumCommentLength = 10_000

  let database: any Database
  let auditor: Auditor

  /// Replaces the output's review; 404 for another company's output, 403 for a developer
  /// reviewing someone else's.
  func review(
    outputID: UUID, verdict: Verdict, comment: String?, links: [String], by principal: Principal
  ) async throws -> OutputReview {
    guard
      let output = try await Output.query(on: database).filter(\.$id == outputID)
        .filter(\.$company.$id == principal.companyID).first()
    else { throw AppError.notFound("Output") }
    guard output.$creator.id == principal.userID || principal.role.includes(.lead) else {
      throw AppError.forbidden(
        "Only the output's author or a lead or admin may review it.")
    }
    let comment = comment?.trimmingCharacters(in: .whitespacesAndNewlines)
    let cleanComment = comment?.isEmpty == true ? nil : comment
    if let cleanComment, cleanComment.count > Self.maximumCommentLength {
      throw AppError.validation(
        field: "comment", reason: "must be at most \(Self.maximumCommentLength) characters")
    }
    let links = try Self.validLinks(links)
    let auditor = auditor
    return try await database.writeTransaction(attempts: 3) { transaction in
      let review =
        try await OutputReview.query(on: transaction).filter(\.$output.$id == outputID).first()
        ?? OutputReview()
      let previous = review.id == nil ? nil : review.verdict
      if review.id == nil {
        review.id = .v7()
        review.$output.id = outputID
        review.$company.id = principal.companyID
      }
      review.verdict = verdict.rawValue
      review.comment = cleanComment
      review.linksJSON = JSONValue.array(links.map(JSONValue.string)).compactJSON
      review.$reviewedBy.id = principal.userID
      review.reviewedAt = Date()
      try await review.save(on: transaction)
      var details = ["verdict": verdict.rawValue]
      details["previousVerdict"] = previous
      try await auditor.record(
        .outputReviewed, .output, id: outputID, changed: ["review"], details: details,
        on: transaction)
      return review
    }
  }

  /// The current reviews of some outputs, by output.
  static func reviews(of outputIDs: [UUID], on database: any Database) async throws
    -> [UUID: OutputReview]
  {
    guard !outputIDs.isEmpty else { return [:] }
    let reviews = try await OutputReview.query(on: database)
      .filter(\.$output.$id ~~ outputIDs).all()
    return Dictionary(reviews.map { ($0.$output.id, $0) }, uniquingKeysWith: { first, _ in first })
  }

  /// http(s) URLs only: they are shown as links, never fetched.
  static func validLinks(_ links: [String]) throws -> [String] {
    guard links.count <= maximumLinks else {
      throw AppError.validation(field: "links", reason: "must hold at most \(maximumLinks) URLs")
    }
    return try links.enumerated().map { index, raw in
      let link = raw.trimmingCharacters(in: .whitespaces)
      guard link.count <= maximumLinkLength, let url = URL(string: link),
        let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
        url.host?.isEmpty == false
      else {
        throw AppError.validation(
          field: "links/\(index)",
          reason: "must be an http(s) URL of at most \(maximumLinkLength) characters")
      }
      return link
    }
  }
}
