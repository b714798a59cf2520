import Fluent
import Foundation
import Vapor

/// `PUT /outputs/:id/review`: the outcome of an output, by its author or a lead or admin.
struct OutputReviewRoutes: RouteCollection {
  func boot(routes: any RoutesBuilder) throws {
    routes.grouped(RequireRole(.developer)).put("outputs", ":outputID", "review", use: review)
  }

  func review(req: Request) async throws -> ReviewResponse {
    let principal = try req.principal
    let body = try req.decodeBody(ReviewRequest.self)
    guard let verdict = OutputReviewService.Verdict(rawValue: body.verdict) else {
      throw AppError.validation(
        field: "verdict",
        reason: "must be one of "
          + OutputReviewService.Verdict.allCases.map(\.rawValue).joined(separator: ", "))
    }
    let saved = try await OutputReviewService(database: req.db, auditor: try req.auditor).review(
      outputID: try req.idParameter("outputID", "Output"), verdict: verdict,
      comment: body.comment, links: body.links ?? [], by: principal)
    return ReviewResponse(
      saved, names: try await UserNames.load([saved.$reviewedBy.id], on: req.db))
  }
}

struct ReviewRequest: Decodable {
  let verdict: String
  let comment: String?
  let links: [String]?
}

/// An output's current review.
struct ReviewResponse: Content {
  let verdict: String
  let comment: String?
  let links: [String]
  let reviewedBy: String
  let reviewedByName: String?
  let reviewedAt: Date

  init(_ review: OutputReview, names: UserNames) {
    verdict = review.verdict
    comment = review.comment
    links = review.links
    reviewedBy = review.$reviewedBy.id.lowercasedText
    reviewedByName = names[review.$reviewedBy.id]
    reviewedAt = review.reviewedAt
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(verdict, forKey: .verdict)
    try container.encode(comment, forKey: .comment)
    try container.encode(links, forKey: .links)
    try container.encode(reviewedBy, forKey: .reviewedBy)
    try container.encode(reviewedByName, forKey: .reviewedByName)
    try container.encode(reviewedAt, forKey: .reviewedAt)
  }
}
